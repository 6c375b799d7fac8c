import t from 'tap';
import { DEFAULT_DRIFT_WINDOW, InputWindow, VersionedWindows } from '../../src/monitor/window.js';

t.test('the window keeps the last N rows, oldest first, however many were pushed', async (t) => {
  const window = new InputWindow(2, 3);
  t.same(window.snapshot(), { rows: [], predicted: [] }, 'empty');
  window.push([1, 10], 0);
  window.push([2, 20], 1);
  t.same(window.snapshot(), {
    rows: [
      [1, 10],
      [2, 20],
    ],
    predicted: [0, 1],
  });
  for (let k = 3; k <= 10_000; k++) window.push([k, k * 10], k % 3);
  t.equal(window.size, 3, 'bounded');
  t.same(window.snapshot(), {
    rows: [
      [9998, 99980],
      [9999, 99990],
      [10000, 100000],
    ],
    predicted: [9998 % 3, 9999 % 3, 10000 % 3],
  });
  t.equal(new InputWindow(4).capacity, DEFAULT_DRIFT_WINDOW);
});

t.test('predicted classes are reported only when every row in the window has one', async (t) => {
  const window = new InputWindow(1, 2);
  window.push([1], 2);
  window.push([2]);
  t.same(window.snapshot(), { rows: [[1], [2]] }, 'one row without: no class counts');
  window.push([3], 1);
  window.push([4], 0);
  t.same(window.snapshot(), { rows: [[3], [4]], predicted: [1, 0] }, 'the unpredicted row left');
});

t.test('a snapshot is a copy: later pushes do not change it', async (t) => {
  const window = new InputWindow(1, 2);
  window.push([1], 0);
  const before = window.snapshot();
  window.push([2], 0);
  window.push([3], 0);
  t.same(before.rows, [[1]]);
});

t.test('a row of the wrong width and a bad capacity are refused', async (t) => {
  t.throws(() => new InputWindow(2, 3).push([1, 2, 3]), RangeError);
  t.throws(() => new InputWindow(2, 0), RangeError);
  t.throws(() => new InputWindow(0, 3), RangeError);
});

t.test('one window per model version, the least recently used dropped first', async (t) => {
  const windows = new VersionedWindows(1, 10, 2);
  windows.push('1', [1], 0);
  windows.push('2', [2], 0);
  windows.push('1', [1.5], 0);
  windows.push('3', [3], 0);
  t.same(windows.versions(), ['1', '3'], 'version 2 was the least recently pushed');
  t.same(windows.get('1')?.snapshot().rows, [[1], [1.5]]);
  t.equal(windows.get('2'), undefined);
});
