/**
 * The booth's questions, drawn from the manifest the page has checked against
 * the fingerprint (7.1). Nothing here reads the server's HTML: a server that
 * rewrote labels or reordered options on the page would otherwise make the
 * member choose one thing and encrypt another.
 *
 * A ranked question (protocol 5.2) shows each candidate with a rank select
 * (not ranked, 1st, 2nd, …): it works with the keyboard, by touch and with a
 * screen reader, and a live status line says how many are ranked. Where
 * candidates stand on slates (“Ana Silva (slate: Members First)” in the
 * manifest), the member may start from a slate's candidates and change any rank.
 */

import { QuestionRule, cellsFromRanking, rankingFromCells } from '../../protocol/index.js';

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

/** "1st", "2nd", "3rd", "4th", … "11th", "21st". */
export function ordinal(n) {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** The rule of a ranked question in words. */
export function rankedRuleText(question) {
  const m = question.options.length;
  const most = question.max === m ? 'as many as you like' : `up to ${plural(question.max, 'candidate')}`;
  const least = question.min === 1 ? ' Rank at least one.' : ' You may leave them all unranked.';
  return `Rank ${most}: give your first choice rank 1st, your next 2nd, and so on, with no rank left out.${least}`;
}

const SLATE = /^(.*) \(slate: ([^()]+)\)$/;

/** The slates named in a ranked question's options: [name, option indices in ballot order]. */
export function slatesOf(options) {
  const slates = new Map();
  options.forEach((option, o) => {
    const found = SLATE.exec(option);
    if (!found) return;
    if (!slates.has(found[2])) slates.set(found[2], []);
    slates.get(found[2]).push(o);
  });
  return [...slates.entries()];
}

/**
 * Ranks the slate's candidates 1st, 2nd, … in ballot order (as many as the
 * question allows) and leaves the others unranked: a starting point only.
 */
export function fillFromSlate(question, indices) {
  const chosen = indices.slice(0, question.max);
  question.inputs.forEach((select, o) => {
    const at = chosen.indexOf(o);
    select.value = at < 0 ? '' : String(at + 1);
  });
}

function slateControl(shown, q) {
  const slates = slatesOf(shown.options);
  if (!slates.length) return null;
  const row = element('div', { class: 'slate-start' });
  const select = element('select', { id: `q${q}-slate`, 'aria-describedby': `q${q}-slate-hint` });
  select.append(element('option', { value: '' }, 'Choose a slate'));
  slates.forEach(([name], s) => select.append(element('option', { value: String(s) }, name)));
  const button = element('button', { type: 'button', class: 'secondary' }, 'Fill in its candidates');
  button.addEventListener('click', () => {
    if (shown.inputs[0].disabled) return; // the ballot is prepared: its choices are fixed
    if (select.value === '') {
      shown.status.textContent = 'Choose a slate first.';
      return;
    }
    const [name, indices] = slates[Number(select.value)];
    fillFromSlate(shown, indices);
    updateRankStatus(shown);
    shown.status.textContent = `Filled in from ${name}. ${shown.status.textContent} You can change any rank.`;
  });
  row.append(element('label', { for: `q${q}-slate` }, 'Start from a slate'), select, button,
    element('p', { class: 'hint', id: `q${q}-slate-hint` }, "Ranks the slate's candidates in ballot order and clears the other ranks; then change any rank you like."));
  return row;
}

function renderRanked(question, q) {
  const fieldset = element('fieldset', { class: 'question card ranked', 'aria-describedby': `q${q}-rule` });
  const legend = element('legend');
  legend.append(element('span', { class: 'number' }, `${q + 1}.`), ` ${question.text}`);
  fieldset.append(legend, element('p', { class: 'hint', id: `q${q}-rule` }, rankedRuleText(question)));
  const status = element('p', { class: 'rank-status', role: 'status', 'aria-live': 'polite', id: `q${q}-status` });
  const inputs = question.options.map((option, o) => {
    const row = element('div', { class: 'option ranked-option' });
    const select = element('select', { id: `q${q}o${o}`, name: `q${q}o${o}`, 'aria-describedby': `q${q}-status` });
    select.append(element('option', { value: '' }, 'Not ranked'));
    for (let rank = 1; rank <= question.max; rank++) select.append(element('option', { value: String(rank) }, ordinal(rank)));
    row.append(element('label', { for: `q${q}o${o}` }, option), select);
    fieldset.append(row);
    return select;
  });
  const error = element('p', { class: 'errors question-error', role: 'alert', id: `q${q}-error` });
  fieldset.append(status, error);
  const shown = {
    fieldset, ranked: true, min: question.min, max: question.max, inputs, error, status, text: question.text,
    options: question.options, rule: QuestionRule.fromQuestion(question),
  };
  const slates = slateControl(shown, q);
  if (slates) fieldset.insertBefore(slates, fieldset.querySelector('.ranked-option'));
  updateRankStatus(shown);
  return shown;
}

/** The rank (1..R) each candidate's select holds, or 0. */
function ranksOf(question) {
  return question.inputs.map((select) => (select.value === '' ? 0 : Number(select.value)));
}

/** "Ranked 2 of 5: 1st Ana, 2nd Cy." in the question's live status line. */
export function updateRankStatus(question) {
  const ranks = ranksOf(question);
  const ranked = ranks.filter((rank) => rank > 0).length;
  const order = [...ranks.keys()].filter((o) => ranks[o] > 0).sort((a, b) => ranks[a] - ranks[b]);
  const named = order.map((o) => `${ordinal(ranks[o])} ${question.options[o]}`).join(', ');
  question.status.textContent = `Ranked ${ranked} of ${question.options.length}${named ? `: ${named}` : ''}.`;
}

/**
 * After the member gives candidate `changed` a rank another candidate holds,
 * that candidate takes `changed`'s previous rank (or none): two candidates
 * never share a rank. Returns a sentence saying what moved, or ''.
 */
export function placeRank(question, changed, previous) {
  const rank = changed.value;
  if (rank === '') return '';
  const other = question.inputs.find((select) => select !== changed && select.value === rank);
  if (!other) return '';
  other.value = previous;
  const name = question.options[question.inputs.indexOf(other)];
  return previous === '' ? `${name} was ${ordinal(Number(rank))} and is now not ranked.`
    : `${name} was ${ordinal(Number(rank))} and is now ${ordinal(Number(previous))}.`;
}

/**
 * The ranked question's cells (5.2) for what the selects hold, or a message
 * saying what is wrong (a rank left out, too few ranked).
 */
export function rankedSelection(question) {
  const ranks = ranksOf(question);
  const ranked = ranks.filter((rank) => rank > 0).length;
  for (let rank = 1; rank <= ranked; rank++) {
    const holders = ranks.filter((r) => r === rank).length;
    if (holders !== 1) {
      return { message: holders === 0 ? `Rank ${ordinal(rank)} is empty: give ranks in order, 1st, 2nd, 3rd, with none left out.`
        : `Two candidates are ranked ${ordinal(rank)}: give each rank to one candidate.` };
    }
  }
  if (ranked < question.min) return { message: 'Rank at least one candidate here.' };
  const ranking = Array.from({ length: ranked }, (_, i) => ranks.indexOf(i + 1));
  return { cells: cellsFromRanking(question.rule, ranking) };
}

function renderQuestion(question, q) {
  if (question.kind === 'ranked') return renderRanked(question, q);
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

/** "text — chosen, chosen" per question, decoded against the manifest ("1st Ana, 2nd Cy" if ranked). */
export function describeSelections(manifest, selections) {
  return manifest.questions.map((question, q) => {
    if (question.kind === 'ranked') {
      const ranking = rankingFromCells(QuestionRule.fromQuestion(question), selections[q]);
      const named = ranking.map((o, i) => `${ordinal(i + 1)} ${question.options[o]}`);
      return `${q + 1}. ${question.text} — ${named.length ? named.join(', ') : 'nobody ranked'}`;
    }
    const names = question.options.filter((_, o) => selections[q][o] === 1);
    return `${q + 1}. ${splitQuestionText(question.text).question} — ${names.length ? names.join(', ') : 'nothing chosen'}`;
  });
}
