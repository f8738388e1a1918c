import { DEFAULT_CAPTURE_LIMITS } from '../../src/capture/capture-limits.js';
import { Redactor } from '../../src/capture/redactor.js';

export const limits = DEFAULT_CAPTURE_LIMITS;
export const redactor = new Redactor();

/** Secrets planted in inputs; none may appear in any output. */
export const PLANTED = {
  password: 'hunter2-PLANTED',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJlUExBTlRFRA',
  aws: 'AKIAPLANTED000000000',
  urlPass: 's3cr3tPLANTED',
};

/** Builds an object nested `levels` deep without recursion. */
export function deepObject(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 0; i < levels; i++) {
    const child: Record<string, unknown> = {};
    node.next = child;
    node = child;
  }
  return root;
}

/** The deepest chain of `.next` keys in a bounded output, and what sits at its end. */
export function followNext(value: unknown): { levels: number; end: unknown } {
  let levels = 0;
  let node = value;
  while (node !== null && typeof node === 'object' && 'next' in node) {
    node = (node as { next: unknown }).next;
    levels++;
  }
  return { levels, end: node };
}
