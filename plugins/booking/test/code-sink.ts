import { afterAll } from 'vitest';
import { tempPluginsDir } from '../../../test/helpers/plugins.js';

type SentCode = { tenantId: string; to: string; code: string; text: string };
const sink = ((globalThis as { bookingCodeSink?: SentCode[] }).bookingCodeSink ??= []);

/**
 * A plugins folder with booking and `code-sink`, a made-up messaging plugin that receives one-time codes through
 * `booking.sendVerificationCode` as a real channel would. Call it at the top of a test file and start the app with
 * `pluginsDir:` the folder it gives; each file gets its own, removed after the file's tests.
 */
export function codeSinkPluginsDir(): string {
  const plugins = tempPluginsDir({
    copy: ['booking'],
    plugins: {
      'code-sink': {
        manifest: { dependencies: { booking: '^1.0.0' }, enabledByDefault: true },
        files: { 'server.ts': `export default { extensions: { 'booking.sendVerificationCode': async (m) => { globalThis.bookingCodeSink.push(m); return true; } } };` },
      },
    },
  });
  afterAll(() => plugins.remove());
  return plugins.dir;
}

/** The one-time codes the server sent to `code-sink` (the app must run on codeSinkPlugins). */
export function sentCodes(): SentCode[] {
  return sink;
}
