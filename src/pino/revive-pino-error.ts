/** Pino's serialized error (`pino-std-serializers`' `err`): its fields as they reach a transport. */
type Serialized = Record<string, unknown>;

/** Fields of the serialized form that are not the error's own. */
const SERIALIZER_KEYS = new Set(['type', 'message', 'stack', 'raw', 'aggregateErrors']);
const CAUSED_BY = '\ncaused by: ';

/** Whether a line field looks like pino's serialized error. */
export function isSerializedError(value: unknown): value is Serialized {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Serialized;
  return typeof v.message === 'string' && (typeof v.stack === 'string' || typeof v.type === 'string');
}

/** The `Type: message` head of a stack section, before its first frame. */
function headOf(section: string): string {
  const frame = section.search(/\n\s+at /);
  return frame === -1 ? section : section.slice(0, frame);
}

function named(type: string, message: string, stack: string | undefined): Error {
  const err = new Error(message);
  Object.defineProperty(err, 'name', { value: type, writable: true, configurable: true, enumerable: false });
  if (stack !== undefined) err.stack = stack;
  else err.stack = `${type}: ${message}`;
  return err;
}

/** A stack section `Type: message\n    at …` as an error of that type and message. */
function sectionError(section: string): Error {
  const head = headOf(section);
  const colon = head.indexOf(': ');
  const type = colon > 0 && /^[\w$.]+$/.test(head.slice(0, colon)) ? head.slice(0, colon) : 'Error';
  return named(type, colon > 0 ? head.slice(colon + 2) : head, section);
}

/**
 * The error a log line carried, rebuilt so the engine sees what the logging thread threw: its
 * class name as `name`, its stack, its own fields (`code`, `errno`, …), AggregateError members,
 * and its cause chain. Pino folds causes into the message (`outer: inner`) and the stack
 * (`caused by: …` sections); they are split back, so an error logged through the transport
 * groups with the same error recorded in process.
 */
export function revivePinoError(serialized: Serialized): Error {
  const type = typeof serialized.type === 'string' && serialized.type !== '' ? serialized.type : 'Error';
  const stack = typeof serialized.stack === 'string' ? serialized.stack : undefined;
  const sections = stack?.split(CAUSED_BY) ?? [];
  let message = String(serialized.message);
  const head = sections[0] === undefined ? undefined : headOf(sections[0]);
  if (head?.startsWith(`${type}: `) && sections.length > 1) {
    const own = head.slice(type.length + 2);
    if (message.startsWith(`${own}: `)) message = own;
  }
  const err = named(type, message, sections[0] ?? stack);
  for (const key of Object.keys(serialized)) {
    if (SERIALIZER_KEYS.has(key)) continue;
    const value = serialized[key];
    (err as unknown as Serialized)[key] = isSerializedError(value) ? revivePinoError(value) : value;
  }
  let outer: Error = err;
  for (const section of sections.slice(1)) {
    const cause = sectionError(section);
    Object.defineProperty(outer, 'cause', {
      value: cause,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    outer = cause;
  }
  if (Array.isArray(serialized.aggregateErrors)) {
    (err as unknown as { errors: unknown[] }).errors = serialized.aggregateErrors.map((e) =>
      isSerializedError(e) ? revivePinoError(e) : e,
    );
  }
  return err;
}
