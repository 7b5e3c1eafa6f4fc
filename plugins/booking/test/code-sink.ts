import { afterAll } from 'vitest';
import { tempPluginsDir } from '../../../test/helpers/plugins.js';

type SentCode = { tenantId: string; to: string; code: string; text: string };
const sink = ((globalThis as { bookingCodeSink?: SentCode[] }).bookingCodeSink ??= []);

/**
 * A plugins folder with booking and `code-sink`, a made-up messaging plugin that receives one-time codes through
 * `booking.sendVerificationCode` as a real channel would. Start the app with `pluginsDir: codeSinkPlugins.dir`.
 */
export const codeSinkPlugins = tempPluginsDir({
  copy: ['booking'],
  plugins: {
    'code-sink': {
      manifest: { dependencies: { booking: '^1.0.0' }, enabledByDefault: true },
      files: { 'server.ts': `export default { extensions: { 'booking.sendVerificationCode': async (m) => { globalThis.bookingCodeSink.push(m); return true; } } };` },
    },
  },
});
afterAll(() => codeSinkPlugins.remove());

/** The one-time codes the server sent to `code-sink` (the app must run on codeSinkPlugins). */
export function sentCodes(): SentCode[] {
  return sink;
}
