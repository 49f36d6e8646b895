// The reviewed exceptions to the Control Tower proactive controls: each entry names a
// control, the templates and resources it covers, and why a security reviewer accepts it
// (the same discipline as cdk-nag acknowledgements). Findings no entry covers fail the
// build; entries that cover no finding are stale and fail it too, so the list stays true.
import { readFileSync } from 'node:fs';

const MIN_REASON_LENGTH = 40;

/**
 * @typedef {object} GuardException
 * @property {string} id         where the entry is, for messages: `<file>#<n>`
 * @property {string} control    control id, e.g. CT.LAMBDA.PR.3
 * @property {string[]} templates globs over template paths relative to the project root
 * @property {string[]} resources globs over logical ids
 * @property {string} reason
 */

/**
 * Reads and checks an exception list; every problem is reported in one error.
 * @param {string} file
 * @param {Set<string>} knownControls the control ids of the rules being run
 * @returns {GuardException[]}
 */
export function loadExceptions(file, knownControls) {
  let document;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read the exception list: ${err.message}`);
  }
  if (!Array.isArray(document?.exceptions)) throw new Error(`${file}: expected an object with an "exceptions" array`);

  const problems = [];
  const entries = document.exceptions.map((entry, index) => {
    const where = `${file}: exceptions[${index}]`;
    const isGlobList = (v) => Array.isArray(v) && v.length > 0 && v.every((g) => typeof g === 'string' && g.length > 0);
    if (typeof entry?.control !== 'string' || !knownControls.has(entry.control)) {
      problems.push(`${where}.control must be the id of a control that is run (e.g. CT.LAMBDA.PR.3), got ${JSON.stringify(entry?.control)}`);
    }
    for (const field of ['templates', 'resources']) {
      if (!isGlobList(entry?.[field])) problems.push(`${where}.${field} must be a non-empty list of glob patterns, got ${JSON.stringify(entry?.[field])}`);
    }
    if (typeof entry?.reason !== 'string' || entry.reason.trim().length < MIN_REASON_LENGTH) {
      problems.push(`${where}.reason must say why a security reviewer accepts the finding (at least ${MIN_REASON_LENGTH} characters), got ${JSON.stringify(entry?.reason)}`);
    }
    return {
      id: `${file}#${index}`,
      control: entry?.control,
      templates: entry?.templates ?? [],
      resources: entry?.resources ?? [],
      reason: entry?.reason,
      matchesTemplate: anyGlob(entry?.templates),
      matchesResource: anyGlob(entry?.resources),
    };
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return entries;
}

/**
 * Splits findings into excepted and unlisted ones, and finds the entries no finding used.
 * A finding goes to the first entry that matches it, so an entry shadowed by earlier ones
 * shows up as stale: list specific entries before broad ones.
 * @param {import('./guard-findings.mjs').Finding[]} findings (template paths relative to the project root)
 * @param {GuardException[]} exceptions
 */
export function applyExceptions(findings, exceptions) {
  const used = new Set();
  const excepted = [];
  const unlisted = [];
  for (const finding of findings) {
    const entry = exceptions.find((e) => e.control === finding.control && e.matchesTemplate(finding.template) && e.matchesResource(finding.resource));
    if (entry) {
      used.add(entry);
      excepted.push({ finding, exception: entry });
    } else {
      unlisted.push(finding);
    }
  }
  return { excepted, unlisted, stale: exceptions.filter((e) => !used.has(e)) };
}

// `*` matches within one path segment, `**` across segments; nothing else is special.
function globToRegExp(glob) {
  const source = glob.split('**').map((part) => part.split('*').map(escape).join('[^/]*')).join('.*');
  return new RegExp(`^${source}$`);
}

function escape(text) {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function anyGlob(globs) {
  const patterns = Array.isArray(globs) ? globs.filter((g) => typeof g === 'string').map(globToRegExp) : [];
  return (value) => patterns.some((p) => p.test(value));
}
