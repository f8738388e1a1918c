/**
 * The watchdog thread's program (CommonJS, run with `eval: true` so it needs no file of its
 * own in any build). It reads the main thread's heartbeat from shared memory; when the beat
 * has not moved for the threshold, it pauses the main thread through the inspector, copies the
 * call frames, asks the main thread (still paused) for its async context, and resumes it. When
 * the beat moves again the block is over: it posts one message with the frames and the
 * duration. A block still going after hungAfterMs is recorded while it lasts: the watchdog
 * pauses the main thread again and, unless it is paused inside the library itself, has it call
 * the recorder (which writes the record at once); the message at the end then says so.
 * Everything is wrapped: this thread must never throw.
 */
export const STALL_WATCHDOG_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { thresholdMs, pollMs, captureStack, heartbeat, base, contextExpression, maxFrames, hungAfterMs, hungFunction, hungId, libraryPrefix } = workerData;
const beat = new Int32Array(heartbeat);
const scripts = new Map();
let session;
if (captureStack) {
  try {
    const { Session } = require('node:inspector');
    session = new Session();
    session.connectToMainThread();
    session.on('Debugger.scriptParsed', (e) => { scripts.set(e.params.scriptId, e.params.url); });
  } catch (e) { session = undefined; }
}
function post(message) { try { parentPort.postMessage(message); } catch (e) {} }
function release() {
  try { session.post('Debugger.resume'); } catch (e) {}
  try { session.post('Debugger.disable'); } catch (e) {}
}
function framesOf(e) {
  return e.params.callFrames.slice(0, maxFrames).map((f) => ({
    functionName: f.functionName || '',
    url: scripts.get(f.location.scriptId) || f.url || '',
    line: f.location.lineNumber + 1,
    column: (f.location.columnNumber || 0) + 1,
  }));
}
// Pauses the main thread and calls onPaused with the pause event; onFail when it cannot.
function pauseMain(onPaused, onFail) {
  session.once('Debugger.paused', onPaused);
  try {
    session.post('Debugger.enable', (err) => {
      if (err) { onFail(); return; }
      session.post('Debugger.pause');
    });
  } catch (err) { onFail(); }
}
// Evaluates in the paused main thread; an evaluation that never returns must not keep it paused.
function evaluate(expression, timeoutMs, onValue) {
  let answered = false;
  const done = (value) => { if (answered) return; answered = true; onValue(value); };
  const timer = setTimeout(() => done(undefined), timeoutMs);
  try {
    session.post('Runtime.evaluate', { expression, silent: true, returnByValue: true }, (err, res) => {
      clearTimeout(timer);
      done(!err && res && res.result ? res.result.value : undefined);
    });
  } catch (err) { clearTimeout(timer); done(undefined); }
}
function recordHung(stall, blockedMs) {
  stall.hungPending = true;
  const settle = (recorded) => { stall.hungPending = false; if (recorded) stall.hung = true; else stall.hungRetryAt = Date.now() + 1000; release(); };
  pauseMain((e) => {
    if (stall.posted) { stall.hungPending = false; release(); return; }
    let frames;
    try { frames = framesOf(e); } catch (err) { settle(false); return; }
    // Paused in the library's own code (its store, its timers): its state may be half way
    // through a change. Try again later. The library below the app's code (a scope that runs
    // it) is fine; the engine refuses itself when a capture is under way.
    const top = frames.find((f) => f.url !== '' && !f.url.startsWith('node:'));
    if (libraryPrefix === '' || (top !== undefined && top.url.startsWith(libraryPrefix))) { settle(false); return; }
    const expression = hungFunction + '(' + hungId + ',' + blockedMs + ',' + JSON.stringify(frames) + ')';
    evaluate(expression, 2000, (value) => settle(value === true));
  }, () => { stall.hungPending = false; });
}
function takeStack(stall) {
  const asked = Date.now();
  stall.pending = true;
  pauseMain((e) => {
    if (stall.posted) { release(); return; }
    try {
      stall.pauseLatencyMs = Date.now() - asked;
      stall.frames = framesOf(e);
    } catch (err) {}
    evaluate(contextExpression, 1000, (value) => {
      stall.contextId = typeof value === 'number' ? value : undefined;
      stall.pending = false;
      release();
    });
  }, () => { stall.pending = false; });
}
let seen = Atomics.load(beat, 0);
// Since when the beat has not moved, on this thread's clock.
let since = Date.now();
let lastTick = since;
let stall;
setInterval(() => {
  const now = Date.now();
  const v = Atomics.load(beat, 0);
  // This thread was not scheduled either (a suspended machine, a stopped process, a clock jump): not a block of the loop.
  const skipped = now - lastTick > thresholdMs;
  lastTick = now;
  if (v !== seen) {
    if (stall !== undefined) {
      stall.posted = true;
      post({ blockedMs: (v - seen) | 0, frames: stall.pending ? undefined : stall.frames, pauseLatencyMs: stall.pauseLatencyMs, contextId: stall.pending ? undefined : stall.contextId, hung: stall.hung });
      stall = undefined;
    }
    seen = v;
    since = Math.min(now, base + v);
    return;
  }
  if (skipped && stall === undefined) { since = now; return; }
  if (stall === undefined && now - since >= thresholdMs) {
    stall = { posted: false, pending: false, frames: undefined, pauseLatencyMs: undefined, contextId: undefined, hung: false, hungPending: false, hungRetryAt: 0 };
    if (session !== undefined) takeStack(stall);
  } else if (stall !== undefined && session !== undefined && hungAfterMs > 0 && !stall.hung && !stall.pending && !stall.hungPending && now - since >= hungAfterMs && now >= stall.hungRetryAt) {
    recordHung(stall, now - since);
  }
}, pollMs);
`;
