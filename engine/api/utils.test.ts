import { describe, expect, it } from 'vitest';
import { findBetween, normalDistributionStages, randomIntBetween, randomItem, randomString, uuidv4 } from './utils.js';

describe('loadts/utils (jslib k6-utils)', () => {
  it('random helpers stay in range', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(randomIntBetween(1, 3));
    expect([...seen].sort()).toEqual([1, 2, 3]);
    expect(['a', 'b']).toContain(randomItem(['a', 'b']));
    expect(randomString(12)).toMatch(/^[a-z]{12}$/);
    expect(randomString(5, 'xy')).toMatch(/^[xy]{5}$/);
    expect(uuidv4()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('findBetween: the first match, every match with repeat, empty when absent (k6 docs example)', () => {
    const response = '<div class="message">Message 1</div><div class="message">Message 2</div>';
    expect(findBetween(response, '<div class="message">', '</div>')).toBe('Message 1');
    expect(findBetween(response, '<div class="message">', '</div>', true)).toEqual(['Message 1', 'Message 2']);
    expect(findBetween(response, '<p>', '</p>')).toBe('');
    expect(findBetween(response, '<p>', '</p>', true)).toEqual([]);
  });

  it('normalDistributionStages: a bell curve over equal stages, peaking at maxVUs and ending at 0', () => {
    const stages = normalDistributionStages(10, 20, 5);
    expect(stages.map((s) => s.duration)).toEqual(['4s', '4s', '4s', '4s', '4s']);
    const targets = stages.map((s) => s.target);
    expect(Math.max(...targets)).toBe(10);
    expect(targets[2]).toBe(10);
    expect(targets[1]).toBe(targets[3]);
    expect(targets[0]!).toBeLessThan(targets[1]!);
    expect(targets[4]).toBe(0);
    expect(normalDistributionStages(100, 100)).toHaveLength(10);
  });
});
