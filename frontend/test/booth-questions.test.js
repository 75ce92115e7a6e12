// The booth names each question's group by the question alone and shows the cases
// for and against below it, losing nothing of the manifest's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitQuestionText } from '../src/pages/lib/booth_questions.js';

test('a question with its cases: the first paragraph names it, the rest follows', () => {
  const text = 'Restore the endorsement?\n\nThe case for:\nMembers chose.\n\nThe case against:\nNew facts.';
  assert.deepEqual(splitQuestionText(text), {
    question: 'Restore the endorsement?',
    details: 'The case for:\nMembers chose.\n\nThe case against:\nNew facts.',
  });
});

test('a question without cases is all question', () => {
  assert.deepEqual(splitQuestionText('Elect two delegates\nto the conference'),
    { question: 'Elect two delegates\nto the conference', details: '' });
});
