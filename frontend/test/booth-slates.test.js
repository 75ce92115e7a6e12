// A ranked question's slates, read from the manifest's option labels, and the
// "start from a slate" fill: the slate's candidates ranked in ballot order, the
// others cleared, never more ranks than the question allows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fillFromSlate, slatesOf } from '../src/pages/lib/booth_questions.js';

const OPTIONS = ['Zoe Adams (slate: Members First)', 'Ali Brown', 'Mia Cole (slate: Members First)',
  'Ben Dale (slate: Renewal)', 'Eva (Evie) Egan'];

test('slates are read from the labels, their candidates in ballot order', () => {
  assert.deepEqual(slatesOf(OPTIONS), [['Members First', [0, 2]], ['Renewal', [3]]]);
  assert.deepEqual(slatesOf(['Ana', 'Bo']), []);
});

test('a name with brackets that is not a slate mark is not a slate', () => {
  assert.deepEqual(slatesOf(['Eva (Evie) Egan', 'Cy (slate: )']), []);
});

function question(max, values) {
  return { max, inputs: values.map((value) => ({ value })) };
}

test('filling from a slate ranks its candidates and clears the rest', () => {
  const shown = question(5, ['', '1', '', '2', '3']);
  fillFromSlate(shown, [0, 2]);
  assert.deepEqual(shown.inputs.map((i) => i.value), ['1', '', '2', '', '']);
});

test('never more ranks than the question allows', () => {
  const shown = question(1, ['', '', '', '', '']);
  fillFromSlate(shown, [0, 2]);
  assert.deepEqual(shown.inputs.map((i) => i.value), ['1', '', '', '', '']);
});
