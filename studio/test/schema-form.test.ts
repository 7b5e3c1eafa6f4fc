import { describe, expect, it } from 'vitest';
import { defaultsFor, enumOptions, errorsUnder, fieldKind, orderedProperties, toOptions } from '../src/forms/schema.js';

describe('schema-driven forms', () => {
  it('picks a widget per schema, honouring x-ui hints', () => {
    expect(fieldKind({ type: 'string' })).toBe('string');
    expect(fieldKind({ type: 'string', 'x-ui': { widget: 'textarea' } })).toBe('text');
    expect(fieldKind({ type: 'integer' })).toBe('integer');
    expect(fieldKind({ enum: ['a', 'b'] })).toBe('enum');
    expect(fieldKind({ type: 'string', 'x-ui': { optionsFrom: '/api/v1/booking/services' } })).toBe('remote');
    expect(fieldKind({ type: 'array', items: { type: 'string' }, 'x-ui': { optionsFrom: '/x' } })).toBe('remote-multi');
    expect(fieldKind({ type: 'array', items: { type: 'object', properties: {} } })).toBe('object-list');
    expect(fieldKind({ type: 'object', properties: { en: { type: 'string' } }, 'x-ui': { widget: 'localized-text' } })).toBe('localized');
    expect(fieldKind({ type: ['string', 'null'] })).toBe('string');
    // write-only: shown as set / not set with replace and clear, never the value
    expect(fieldKind({ type: 'string', 'x-secret': true })).toBe('secret');
  });

  it('starts from defaults and gives list items that become ports an id', () => {
    const v = defaultsFor({
      type: 'object', required: ['title', 'items'],
      properties: { title: { type: 'string' }, n: { type: 'integer', default: 3 }, items: { type: 'array', minItems: 1, items: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } } },
    }) as Record<string, any>;
    expect(v.title).toBe('');
    expect(v.n).toBe(3);
    expect(v.items).toHaveLength(1);
    expect(v.items[0].id).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
  });

  it('orders fields by x-ui.order, labels enums, reads option lists', () => {
    expect(orderedProperties({ properties: { a: {}, b: { 'x-ui': { order: 1 } } } }).map(([k]) => k)).toEqual(['b', 'a']);
    expect(enumOptions({ enum: ['x'], 'x-ui': { enumLabels: { x: { en: 'Ex' } } } })).toEqual([{ value: 'x', label: { en: 'Ex' } }]);
    expect(toOptions({ items: [{ id: 1, name: 'Cut' }] })).toEqual([{ value: '1', label: 'Cut' }]);
    expect(errorsUnder({ '/a/b': 'bad', '/c': 'x' }, '/a')).toEqual({ '/b': 'bad' });
  });
});

describe('pickers', () => {
  it('come from the options source the plugin declares, never from a widget name the form code knows', () => {
    expect(fieldKind({ type: 'string', 'x-ui': { optionsFrom: '/api/v1/booking/departments' } })).toBe('remote');
    // A widget name alone names no list: the form stays generic.
    expect(fieldKind({ type: 'string', 'x-ui': { widget: 'booking-department' } })).toBe('string');
  });
});

describe('a new node', () => {
  it('leaves optional groups out instead of half-filling them', () => {
    const text = { type: 'object', required: ['en'], properties: { en: { type: 'string', minLength: 1 } } };
    expect(defaultsFor({ type: 'object', required: ['text'], properties: { text, prompt: text } })).toEqual({ text: { en: '' } });
  });
});
