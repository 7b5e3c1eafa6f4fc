import { describe, expect, it } from 'vitest';
import { flowAnswers } from '../answers.js';
import type { Graph } from '../graph.js';

const graph: Graph = {
  schemaVersion: 1,
  nodes: [
    { id: 'q1', type: 'input', position: { x: 0, y: 0 }, settings: { text: { en: 'Your wish, {{client.name}}?', ru: 'Ваше пожелание, {{client.name}}?' }, kind: 'text', saveAs: 'wish' } },
    { id: 'q2', type: 'choice', position: { x: 0, y: 0 }, settings: { text: { en: 'Intensity?', ru: 'Интенсивность?' }, saveAs: 'force', buttons: [{ id: 'soft', label: { en: 'Soft', ru: 'Мягко' } }] } },
    { id: 'q3', type: 'input', position: { x: 0, y: 0 }, settings: { text: { en: 'Date?' }, kind: 'date', saveAs: 'unanswered' } },
    { id: 'm', type: 'message', position: { x: 0, y: 0 }, settings: { text: { en: 'Hi' } } },
  ],
  edges: [],
  variables: [{ name: 'wish', type: 'string' }, { name: 'force', type: 'string' }, { name: 'note', type: 'json' }, { name: 'unanswered', type: 'date' }],
};

describe('the client\'s answers in a flow', () => {
  it('labels question steps by their question in the client\'s language, a choice by its button, then other declared variables', () => {
    const vars = { client: { name: 'Анна' }, wish: 'Плечо', force: 'soft', note: { a: 1 }, bookingServiceId: 'x' };
    expect(flowAnswers(graph, vars, 'ru')).toEqual([
      { variable: 'wish', label: 'Ваше пожелание, Анна?', value: 'Плечо' },
      { variable: 'force', label: 'Интенсивность?', value: 'Мягко' },
      { variable: 'note', label: 'note', value: '{"a":1}' },
    ]);
  });

  it('cuts a long answer and answers nothing for a flow without questions answered', () => {
    const [long] = flowAnswers(graph, { wish: 'x'.repeat(5000) }, 'en');
    expect(long.value).toHaveLength(1000);
    expect(long.value.endsWith('…')).toBe(true);
    expect(flowAnswers(graph, {}, 'en')).toEqual([]);
  });
});
