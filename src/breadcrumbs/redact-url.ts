import type { Redactor } from '../capture/redactor.js';

/**
 * A request URL fit for a record: no userinfo, no fragment, query values under sensitive keys
 * replaced by the censor, and the redactor's value patterns over the rest (tokens in a path).
 */
export function redactUrl(text: string, redactor: Redactor): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not a URL we can take apart: keep only what comes before any query or fragment.
    return redactor.redactString(text.replace(/[?#].*$/s, ''));
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  if (url.search !== '') {
    const kept = new URLSearchParams();
    for (const [key, value] of url.searchParams) {
      kept.append(key, redactor.isSensitiveKey(key) ? redactor.censor : redactor.redactString(value));
    }
    url.search = kept.toString();
  }
  return redactor.redactString(url.toString());
}
