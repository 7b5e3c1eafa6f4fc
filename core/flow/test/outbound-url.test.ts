import { describe, expect, it } from 'vitest';
import { assertPublicUrl } from '../nodes/outbound-url.js';

describe('http node URL guard', () => {
  it('refuses loopback, private, link-local and non-http URLs', async () => {
    for (const url of ['http://127.0.0.1:3000/api', 'http://localhost/', 'http://10.1.2.3/', 'http://192.168.0.10/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/', 'file:///etc/passwd']) {
      await expect(assertPublicUrl(url, false), url).rejects.toThrow();
    }
  });

  it('lets public addresses through, and private ones when the operator allows them', async () => {
    expect((await assertPublicUrl('https://93.184.216.34/hook', false)).host).toBe('93.184.216.34');
    expect((await assertPublicUrl('http://127.0.0.1:9/', true)).port).toBe('9');
  });
});
