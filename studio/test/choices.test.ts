import { describe, expect, it } from 'vitest';
import { browserZones, currencyOptions, timeZoneGroups } from '../src/forms/choices.js';

describe('time zone and currency pickers', () => {
  const all = browserZones();
  it('groups the zones by region with the market’s common ones first, and searches them', () => {
    const ru = timeZoneGroups(all, 'ru');
    expect(ru[0]).toMatchObject({ region: 'common', zones: expect.arrayContaining(['Europe/Moscow', 'Asia/Novosibirsk']) });
    expect(ru[0].zones[0]).toBe('Europe/Moscow');
    expect(timeZoneGroups(all, 'uk')[0].zones[0]).toBe('Europe/Kyiv');
    expect(ru.map((g) => g.region)).toEqual(expect.arrayContaining(['Europe', 'Asia', 'America']));
    expect(ru.find((g) => g.region === 'Europe')!.zones).toContain('Europe/Berlin');
    const found = timeZoneGroups(all, 'ru', 'new york');
    expect(found).toEqual([{ region: 'America', zones: ['America/New_York'] }]);
    expect(timeZoneGroups(all, 'ru', 'novosib')).toEqual([{ region: 'common', zones: ['Asia/Novosibirsk'] }]);
    expect(ru.find((g) => g.region === 'Europe')!.zones).not.toContain('Europe/Moscow');
  });

  it('offers currencies by name in the UI language, the market’s first', () => {
    const ru = currencyOptions('ru');
    expect(ru[0].value).toBe('RUB');
    expect(ru[0].label).toMatch(/рубль.*\(RUB\)/i);
    expect(currencyOptions('uk')[0].value).toBe('UAH');
    expect(new Set(ru.map((c) => c.value)).size).toBe(ru.length);
  });
});
