// TarekRaafat/autoComplete.js PR #453 "Fix stale response race condition in async search" (reduction, fixed)
import { getData, findMatches } from "./data";
import { render, close } from "./ui";
import eventEmitter from "./helpers/eventEmitter";

export default async function start(ctx, q) {
  const { input, query, trigger, threshold, resultsList } = ctx;
  let queryVal = query ? query(input.value) : input.value;
  const requestId = ++ctx._requestId;

  if (trigger ? trigger(queryVal) : queryVal.length >= threshold) {
    eventEmitter("fetch", ctx);
    const data = await getData(ctx, queryVal);
    // A newer keystroke started another search while this one was fetching.
    if (requestId !== ctx._requestId) return;
    if (data instanceof Error) return eventEmitter("error", ctx);
    findMatches(queryVal, ctx);
    eventEmitter("results", ctx);
    if (ctx.feedback) ctx.feedback = { query: queryVal, matches: ctx.matches };
    resultsList && render(ctx);
  } else {
    close(ctx);
  }
}

export function attach(ctx) {
  ctx._requestId = 0;
  let timer;
  ctx.input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => start(ctx), ctx.debounce);
  });
}
