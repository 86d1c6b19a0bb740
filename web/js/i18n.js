// i18n.js: the dashboard's words in English or Vietnamese. The messages are the reports' own
// catalogues (share/locale/<lang>.json), compiled into deadzone and served by it at
// /locale/<lang>.json, so the page, report.html and the CLI say the same thing the same way.
// The reader's choice is remembered in localStorage. Numbers and dates follow the language:
// Vietnamese writes 43,0 % and 30/6/2022 (machine values from the API stay as they are).
const STORAGE_KEY = 'deadzone.lang';
const LANGUAGES = ['en', 'vi'];
const catalogues = {};
let current = 'en';

/** The language in use ('en' or 'vi'). */
export const lang = () => current;

/** The remembered choice, or English. */
export function savedLanguage() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(saved) ? saved : 'en';
  } catch {
    return 'en';
  }
}

/** Loads a catalogue (once) and makes it the current language; remembers the choice. */
export async function useLanguage(language) {
  if (!LANGUAGES.includes(language)) throw new Error(`unknown language ${language}`);
  if (!catalogues[language]) {
    const response = await fetch(`locale/${language}.json`);
    if (!response.ok) throw new Error(`cannot load the ${language} catalogue (HTTP ${response.status})`);
    catalogues[language] = await response.json();
  }
  current = language;
  document.documentElement.lang = language;
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch { /* private mode: the choice lasts for this page only */ }
}

/** The message `key` with its {placeholders} filled; a missing key is an error, never English. */
export function t(key, args = {}) {
  const text = catalogues[current]?.[key];
  if (text === undefined) throw new Error(`no message '${key}' in the ${current} catalogue`);
  return text.replace(/\{\{|\}\}|\{([a-z_]+)\}/g, (all, name) => {
    if (all === '{{') return '{';
    if (all === '}}') return '}';
    if (!(name in args)) throw new Error(`message '${key}': no value for {${name}}`);
    return String(args[name]);
  });
}

/** A number with fixed decimals: 43.0 / 43,0 (no grouping, as the reports). */
export function decimal(value, decimals) {
  const text = Number(value).toFixed(decimals);
  return current === 'vi' ? text.replace('.', ',') : text;
}

/** A count with the language's grouping: 10,000 / 10.000. */
export const count = (n) => Number(n).toLocaleString(current === 'vi' ? 'vi-VN' : 'en');

/** A fraction as a percentage with one decimal, '–' when unknown. */
export const percent = (fraction) =>
  fraction === null || fraction === undefined ? '–' : `${decimal(fraction * 100, 1)} %`;

/** A milestone target: 40 %, 12.5 % / 12,5 %. */
export const target = (fraction) => `${decimal(fraction * 100, fraction * 100 % 1 ? 1 : 0)} %`;

/** An ISO date as people read it: 2022-06-30 in English (as the API), 30/6/2022 in Vietnamese. */
export function day(iso) {
  if (!iso || current !== 'vi') return iso;
  const [y, m, d] = iso.split('-').map(Number);
  return `${d}/${m}/${y}`;
}

/** "30 June 2022" / "30/6/2022": the headline's date. */
export function longDay(iso) {
  if (current === 'vi') return day(iso);
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * The headline of a progress document in the current language. English is the server's own
 * (progress.json keeps it); Vietnamese is built from the same figures by report.html's rule:
 * the latest judged milestone, or the next one before any is judged.
 */
export function headline(progress) {
  if (current === 'en') return progress.headline;
  let text = t('headline.as_of', { date: longDay(progress.as_of) });
  const v = progress.villages;
  if (!v.committed) return text + t('headline.no_villages');
  text += t('headline.covered', { covered: v.covered, committed: v.committed, share: decimal((100 * v.covered) / v.committed, 1) });
  const milestones = progress.overall.milestones || [];
  const judged = milestones.filter((m) => !m.upcoming).pop();
  const next = milestones.find((m) => m.upcoming);
  if (judged) {
    text += t('headline.milestone', { target: target(judged.target) });
    if (judged.date !== progress.as_of) text += t('headline.milestone_of', { date: longDay(judged.date) });
    const verdict = judged.met === true ? 'met' : judged.met === false ? 'missed' : 'none';
    text += t('headline.verdict', { verdict: t(`verdict.${verdict}`) });
  } else if (next) {
    text += t('headline.next', { target: target(next.target), date: longDay(next.date) });
  }
  return text;
}

/** Relabels the page's fixed text: data-i18n (text), data-i18n-aria (aria-label), data-title-key. */
export function relabel(root = document) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-aria]')) node.setAttribute('aria-label', t(node.dataset.i18nAria));
  // Section titles that get a row count once the data is in (tables.js adds it).
  for (const node of root.querySelectorAll('[data-title-key]')) node.textContent = t(node.dataset.titleKey);
}

/**
 * A problem's explanation as the CLI gives it: English keeps the server's message; Vietnamese
 * gives the code's explanation from the catalogue and the original message (it quotes the value).
 */
export function problemMessage(problem) {
  const key = `problem.${problem.code}`;
  if (current === 'en' || catalogues[current]?.[key] === undefined) return problem.message;
  return `${t(key)} (${t('problem.original', { detail: problem.message })})`;
}
