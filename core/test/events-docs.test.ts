import { describe, expect, it } from 'vitest';
import { collectEvents, eventRow, EVENTS_DOC } from '../scripts/events-doc.js';
import { docRows } from '../scripts/catalog-doc.js';

const FIX = 'Run `npm run docs:events` to regenerate docs/events.md from the catalog.';
const events = collectEvents();
const rows = docRows(EVENTS_DOC, /[a-z][a-z0-9-]*\.[a-z0-9.-]+/);

describe('event catalog and docs/events.md', () => {
  it('every event has a description and an object payload schema, and one owner whose id prefixes it', () => {
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.description.trim(), `${e.type} description`).not.toBe('');
      expect(e.payload.type, `${e.type} payload`).toBe('object');
      if (e.owner !== 'core') expect(e.type.startsWith(`${e.owner.replace(/^plugin /, '')}.`), `${e.type} of ${e.owner}`).toBe(true);
    }
    const types = events.map((e) => e.type);
    expect(types.filter((type, i) => types.indexOf(type) !== i), 'event types are unique across core and plugins').toEqual([]);
  });

  it('every event has its row in the docs, the docs list no other event, and each row says what the catalog says', () => {
    expect(events.filter((e) => !rows.has(e.type)).map((e) => e.type), `events missing from docs/events.md. ${FIX}`).toEqual([]);
    expect([...rows.keys()].filter((type) => !events.some((e) => e.type === type)), `docs/events.md lists events the catalog does not have. ${FIX}`).toEqual([]);
    expect(events.filter((e) => rows.get(e.type) !== eventRow(e)).map((e) => e.type), `rows of docs/events.md differ from the catalog. ${FIX}`).toEqual([]);
  });
});
