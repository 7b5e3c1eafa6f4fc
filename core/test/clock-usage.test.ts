import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLOCK = path.join(ROOT, 'core', 'clock.ts');
const READS = /\bDate\.now\(\)|\bnew Date\(\s*\)|\bDateTime\.(now|local|utc)\(\s*\)/;
/** Files whose reads of the time are all real time by nature: nothing in them decides by the business's "now". */
const REAL_TIME_FILES: Record<string, string> = {
  'core/channels/telegram/limiter.ts': "Telegram's send rates are real seconds",
  'core/channels/telegram/channel.ts': "how old a cached bot row is; the row's updated_at stamp, like the columns' DEFAULT now()",
  'core/outbox/dispatcher.ts': "retry back-off, compared with the database's now()",
  'core/plugins/host.ts': 'how old the cached enablement is',
  'core/flow/store.ts': 'how old the cached published flows are',
};

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return ['test', 'migrations', 'node_modules', 'scripts'].includes(d.name) ? [] : sources(full);
    return /\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts') && full !== CLOCK ? [full] : [];
  });
}

describe('one clock', () => {
  it('server code reads "now" from the clock; a real-time read says why on its line or the one above ("real time: …")', () => {
    const offenders: string[] = [];
    for (const file of [...sources(path.join(ROOT, 'core')), ...sources(path.join(ROOT, 'plugins'))]) {
      if (REAL_TIME_FILES[path.relative(ROOT, file).split(path.sep).join('/')]) continue;
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const comment = /^\s*(\/\/|\/?\*)/.test(line);
        if (!comment && READS.test(line) && !/real time:/i.test(line) && !/real time:/i.test(lines[i - 1] ?? '')) offenders.push(`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});
