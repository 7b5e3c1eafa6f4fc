import type { ErrorDefinition } from '../../plugin-sdk.js';

/** The file store's codes; part of CORE_ERRORS. */
export const FILE_ERRORS: Record<string, ErrorDefinition> = {
  BF_ERR_FILE_NOT_FOUND: { status: 404, message: 'File {id} not found', solve: 'Use a file id the API gave you (a review\'s media); files of another business, or that your role may not open, are not found.' },
  BF_ERR_FILE_TOO_LARGE: { status: 413, message: 'The file is {size} bytes; at most {max} are kept', solve: 'Send a smaller file: photos up to 10 MB, videos up to 20 MB (less where the plugin says so).' },
  BF_ERR_FILE_TYPE_UNSUPPORTED: { status: 415, message: 'This {kind} is not one of {allowed}', solve: 'Send a photo as JPEG, PNG or WebP and a video as MP4; the type is read from the file itself, not its name.' },
  BF_ERR_FILE_DOWNLOAD_FAILED: { status: 502, message: 'Telegram did not give the file: {reason}', solve: 'Telegram may be unreachable or the file gone (file ids of one bot do not work in another); try again later.' },
};
