import { describe, expect, it } from 'vitest'
import { labelEvery, linearScale, niceTicks, tickText } from './chart-scale.ts'

describe('axis ticks people can read (issue 29)', () => {
  it('covers the data with round steps of 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 97).values).toEqual([0, 20, 40, 60, 80, 100])
    expect(niceTicks(0, 286).values).toEqual([0, 100, 200, 300])
    expect(niceTicks(0, 1).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(0, 176_661).values).toEqual([0, 50_000, 100_000, 150_000, 200_000])
  })

  it('extends past the data to the next tick, so the axis ends on a label', () => {
    const t = niceTicks(-0.35, 0.8)
    expect([t.min, t.max, t.step]).toEqual([-0.5, 1, 0.5])
    expect(t.values).toEqual([-0.5, 0, 0.5, 1])
  })

  it('never prints floating-point noise', () => {
    for (const v of niceTicks(0, 0.7, 7).values) expect(String(v)).toMatch(/^-?\d+(\.\d)?$/)
    expect(niceTicks(0.1, 0.3, 2).values).toEqual([0.1, 0.2, 0.3])
  })

  it('gives counts whole-number steps', () => {
    expect(niceTicks(0, 3, 5, { integer: true }).values).toEqual([0, 1, 2, 3])
    expect(niceTicks(0, 1, 5, { integer: true }).values).toEqual([0, 1])
  })

  it('turns an empty or one-point range into one that includes zero', () => {
    expect(niceTicks(0, 0).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(7, 7)).toMatchObject({ min: 0, max: 8 })
    expect(niceTicks(-3, -3)).toMatchObject({ min: -3, max: 0 })
    expect(niceTicks(Number.NaN, Number.POSITIVE_INFINITY).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
  })

  it('accepts the ends in either order', () => {
    expect(niceTicks(100, 0).values).toEqual(niceTicks(0, 100).values)
  })

  it('prints each tick with the decimals its step needs and thousands separators', () => {
    expect(tickText(0.4, 0.2)).toBe('0.4')
    expect(tickText(1, 0.2)).toBe('1')
    expect(tickText(40, 20)).toBe('40')
    expect(tickText(150_000, 50_000)).toBe('150,000')
    expect(tickText(0.05, 0.05)).toBe('0.05')
  })
})

describe('the linear scale', () => {
  it('maps the domain onto the range, flipped when the range is (SVG y grows downwards)', () => {
    const y = linearScale([0, 100], [200, 20])
    expect([y(0), y(50), y(100)]).toEqual([200, 110, 20])
    expect(linearScale([3, 3], [10, 90])(3)).toBe(10)
  })
})

describe('category labels that do not collide', () => {
  it('prints every label when there is room, and thins them evenly, keeping the last, when not', () => {
    const shown = (n: number, room: number) => [...Array(n).keys()].filter(labelEvery(n, room))
    expect(shown(3, 8)).toEqual([0, 1, 2])
    expect(shown(10, 5)).toEqual([0, 2, 4, 6, 9])
    expect(shown(52, 8)).toEqual([0, 7, 14, 21, 28, 35, 42, 51])
    expect(shown(1, 8)).toEqual([0])
  })
})
