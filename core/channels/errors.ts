import type { ErrorDefinition } from '../../plugin-sdk.js';

/** The channel adapters' and channel settings' codes; part of CORE_ERRORS. */
export const CHANNEL_ERRORS: Record<string, ErrorDefinition> = {
  BF_ERR_CHANNEL_NOT_CONFIGURED: { status: 409, message: 'The {channel} channel is not set up for this business', solve: 'Fill in its settings first: PUT /api/v1/channels/{channel}, or the studio under Settings → Channels.' },
  BF_ERR_CHANNEL_TEST_FAILED: { status: 422, message: 'The test message by {channel} was not sent: {reason}', solve: 'details.status tells why: `retry` — the server or provider is unreachable or busy now, try again later; `failed` — check the settings (host, port, security, login, sender); `unreachable` — the recipient was refused, try another address or number.' },
  BF_ERR_CHANNEL_PROVIDER_FAILED: { status: 422, message: 'The {channel} provider did not answer as expected: {reason}', solve: 'Check the login or API key in the settings; when the provider is down, try again later.' },
  BF_ERR_CHANNEL_EMAIL_AUTH_INCOMPLETE: { status: 400, message: 'An SMTP user name and password go together', solve: 'Give both user and password (the server\'s login), or neither for a relay that needs no login.' },
  BF_ERR_CHANNEL_SMS_CREDENTIALS_MISSING: { status: 400, message: 'The SMS provider needs an API key or a login with a password', solve: 'Give apiId (SMS.ru → Settings → API), or login and password of the SMS.ru account.' },
};
