import { describe, expect, it } from 'vitest';
import { paint, table, visibleLength, wantsColour } from './cli.ts';

describe('table', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(table(['a', 'bb'], [['xxx', 'y'], ['z', 'longer']])).toEqual(['a    bb', '---  ------', 'xxx  y', 'z    longer']);
  });

  it('pads coloured cells by what shows, not by their escape codes', () => {
    const lines = table(['check', 'result'], [[paint('PASS', 'pass', true), 'ok'], ['FAIL', 'no']]);
    expect(lines[2]).toBe('\x1b[32mPASS\x1b[0m   ok');
    expect(lines[3]).toBe('FAIL   no');
    expect(visibleLength(lines[2]!)).toBe(lines[3]!.length);
  });
});

describe('colour', () => {
  it('is off when NO_COLOR is set, even on a terminal', () => {
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  });

  it('is on for a terminal and off for a pipe unless forced', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  });

  it('leaves text plain when colour is off', () => {
    expect(paint('FAIL', 'fail', false)).toBe('FAIL');
  });
});
