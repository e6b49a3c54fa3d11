/**
 * The least time `phone/login`, `phone/resend`, `passkey/login/verify` and `forgot-password`
 * take to answer, from the controller's start. A known number's path reads rows an unknown one's does not (its
 * factor, its challenge), and Strapi's query engine shapes each: about 0.8 ms more at the
 * bench's one-at-a-time probing (16% of a resend). A registered passkey's wrong signature is
 * checked and counted against its account; an unknown credential is refused at once. A known
 * address's reset mail is queued and its work lands on a later request.
 * Answering no sooner than this, well above each path's own time, leaves them the same on a
 * machine that is not overloaded (DESIGN.md: "the same shape and timing for unknown
 * numbers"). It costs latency, not CPU: the request waits on a timer.
 */
export const ANSWER_FLOOR_MILLISECONDS = 25;

/** Runs `action`, then waits until `floorMilliseconds` have passed since it began (after a throw too). */
export async function answerNoSoonerThan<Result>(
  floorMilliseconds: number,
  action: () => Promise<Result>,
): Promise<Result> {
  const startedAt = Date.now();
  try {
    return await action();
  } finally {
    const left = startedAt + floorMilliseconds - Date.now();
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  }
}
