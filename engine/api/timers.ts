/**
 * `import { setTimeout, setInterval, clearTimeout, clearInterval } from 'loadts/timers'` (also
 * 'k6/timers'). The same functions are the globals `setTimeout` & co. in a script. As in k6, an
 * iteration ends only once the timers it started have fired or been cleared (up to the scenario's
 * stop, which interrupts it); an exception in a callback fails the iteration.
 * @module loadts/timers
 */
import { markTimersInUse } from '../runtime/vu.js';
import { trackedClear, trackedSetInterval, trackedSetTimeout } from '../runtime/vu-timers.js';

// This script can start timers: a timer callback that throws must end its iteration at once (VU.guard()).
markTimersInUse();

/** Runs `callback(...args)` once after `delay` ms. Returns an id for clearTimeout(). */
export const setTimeout: (callback: (...args: any[]) => unknown, delay?: number, ...args: unknown[]) => NodeJS.Timeout = trackedSetTimeout;
/** Runs `callback(...args)` every `delay` ms until clearInterval(). */
export const setInterval: (callback: (...args: any[]) => unknown, delay?: number, ...args: unknown[]) => NodeJS.Timeout = trackedSetInterval;
/** Cancels a setTimeout(). */
export const clearTimeout: (id: unknown) => void = trackedClear;
/** Cancels a setInterval(). */
export const clearInterval: (id: unknown) => void = trackedClear;

export default { setTimeout, setInterval, clearTimeout, clearInterval };
