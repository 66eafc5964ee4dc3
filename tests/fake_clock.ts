/**
 * Fake time for tests of code that sleeps (loops/wake_loop.ts, db/group_commit.ts): a
 * @sinonjs/fake-timers clock that is not installed globally, handed to the code under test as its
 * `now` and `setTimer`. Time moves only when the test says (`clock.tickAsync(ms)`), so a test of
 * "wakes at the due instant" neither sleeps nor flakes.
 */
import FakeTimers from "@sinonjs/fake-timers";

export function fakeClock(start = 0) {
  const clock = FakeTimers.createClock(start);
  return {
    clock,
    now: () => clock.now,
    setTimer(fn: () => void, ms: number): () => void {
      const id = clock.setTimeout(fn, ms);
      return () => clock.clearTimeout(id);
    },
  };
}
