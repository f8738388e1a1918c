import { homedir } from 'node:os';
import { Redactor } from '../capture/redactor.js';

/** `/home/<user>`, `/Users/<user>` and `C:\Users\<user>`: the user's name is personal data. */
const HOME_DIRS = /(?:\/home|\/Users|[A-Za-z]:\\Users)[/\\][^/\\\s'"]+/g;

let redactor: Redactor | undefined;
let home: string | undefined;

/** Replaces user home directories with `~` and masks secrets (URL credentials, tokens, `key=value`). */
export function redactCommandText(text: string): string {
  redactor ??= new Redactor();
  home ??= safeHomedir();
  let out = text;
  // The homedir of a service account (/root, /var/lib/app) is not under /home: replace it too.
  if (home.length > 1 && out.includes(home)) out = out.split(home).join('~');
  out = out.replace(HOME_DIRS, '~');
  return redactor.redactString(out);
}

/**
 * Redacts each argument, and masks the value that follows an option whose name is sensitive
 * (`-password x`, `--api-key x`), which no pattern inside the value itself could recognise.
 */
export function redactCommandArgs(args: readonly string[]): string[] {
  redactor ??= new Redactor();
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const prev = i > 0 ? args[i - 1]! : '';
    const option = prev.startsWith('-') && !prev.includes('=') ? prev.replace(/^-+/, '') : '';
    out.push(
      option !== '' && redactor.isSensitiveKey(option) ? redactor.censor : redactCommandText(args[i]!),
    );
  }
  return out;
}

function safeHomedir(): string {
  try {
    return homedir();
  } catch {
    return '';
  }
}
