/**
 * The booth's questions, drawn from the manifest the page has checked against
 * the fingerprint (7.1). Nothing here reads the server's HTML: a server that
 * rewrote labels or reordered options on the page would otherwise make the
 * member choose one thing and encrypt another.
 */

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The rule of a question in words, from its manifest min and max. */
export function ruleText(min, max) {
  if (min === 1 && max === 1) return 'Choose one.';
  if (min === max) return `Choose exactly ${max}.`;
  if (min === 0) return `Choose up to ${max}.`;
  return `Choose between ${min} and ${max}.`;
}

function element(tag, attributes = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== null) node.textContent = text;
  return node;
}

/**
 * A manifest question's text split for display: its first paragraph (the
 * question itself, the group's name) and the rest (the cases for and against),
 * shown below it as ordinary text. Nothing of the text is dropped.
 */
export function splitQuestionText(text) {
  const end = text.indexOf('\n\n');
  return end < 0 ? { question: text, details: '' }
    : { question: text.slice(0, end), details: text.slice(end + 2).replace(/^\n+/, '') };
}

function renderQuestion(question, q) {
  const single = question.min === 1 && question.max === 1;
  const { question: asked, details } = splitQuestionText(question.text);
  const described = details ? `q${q}-details q${q}-rule` : `q${q}-rule`;
  const fieldset = element('fieldset', { class: 'question card', 'aria-describedby': described });
  const legend = element('legend');
  legend.append(element('span', { class: 'number' }, `${q + 1}.`), ` ${asked}`);
  fieldset.append(legend);
  if (details) fieldset.append(element('div', { class: 'question-details', id: `q${q}-details` }, details));
  fieldset.append(element('p', { class: 'hint', id: `q${q}-rule` }, ruleText(question.min, question.max)));
  const inputs = question.options.map((option, o) => {
    const row = element('div', { class: 'option' });
    const input = element('input', { type: single ? 'radio' : 'checkbox', id: `q${q}o${o}`, name: `q${q}`, value: String(o) });
    row.append(input, element('label', { for: `q${q}o${o}` }, option));
    fieldset.append(row);
    return input;
  });
  const error = element('p', { class: 'errors question-error', role: 'alert', id: `q${q}-error` });
  fieldset.append(error);
  return { fieldset, min: question.min, max: question.max, inputs, error, text: question.text, options: question.options };
}

/**
 * Replace the contents of `container` with one fieldset per manifest question;
 * returns, per question, its inputs in manifest option order.
 */
export function renderQuestions(container, manifest) {
  const questions = manifest.questions.map(renderQuestion);
  container.replaceChildren(...questions.map((question) => question.fieldset));
  return questions;
}

/** "text — chosen, chosen" per question, decoded against the manifest. */
export function describeSelections(manifest, selections) {
  return manifest.questions.map((question, q) => {
    const names = question.options.filter((_, o) => selections[q][o] === 1);
    return `${q + 1}. ${splitQuestionText(question.text).question} — ${names.length ? names.join(', ') : 'nothing chosen'}`;
  });
}
