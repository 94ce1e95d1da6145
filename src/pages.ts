// Walking a paginated list: `for await (const customer of client.customers.iterate(query))`.
// Pages are fetched lazily, one at a time, when the loop needs the next item. A failure never
// throws: it ends the loop, and the iterator's `error` says what happened.
import type { CallOptions, Result } from "./core.js";
import { AbortedError, type PaymentsError, type Provider } from "./errors.js";

/** A page of a list: its customers, and the query of the next page (undefined on the last page). */
export interface Page<Item, Query> {
  customers: Item[];
  next: Query | undefined;
}

/** What `iterate` returns: an async iterable of items; after the loop, `error` is set if it ended early. */
export interface ResultIterator<Item, Failure extends PaymentsError> extends AsyncIterable<Item> {
  /** Why the last loop ended before the list did (undefined when it reached the end). */
  readonly error: Failure | AbortedError | undefined;
}

/**
 * Iterates every item of a list, page after page, following `next` until a page has none.
 * `options.signal` ends the loop (with an AbortedError) between items as well as during a fetch.
 */
export function iteratePages<Item, Query, Failure extends PaymentsError>(
  provider: Provider,
  list: (query: Query, options: CallOptions) => Promise<Result<Page<Item, Query>, Failure>>,
  query: Query,
  options: CallOptions = {},
): ResultIterator<Item, Failure> {
  let error: Failure | AbortedError | undefined;
  return {
    get error() {
      return error;
    },
    async *[Symbol.asyncIterator]() {
      error = undefined;
      const { signal } = options;
      for (let next: Query | undefined = query; next !== undefined; ) {
        const page: Result<Page<Item, Query>, Failure> = await list(next, options);
        if (page.error) {
          error = page.error;
          return;
        }
        const { customers, next: following } = page.data!;
        for (const item of customers) {
          if (signal?.aborted) {
            error = new AbortedError(provider, signal.reason);
            return;
          }
          yield item;
        }
        next = following;
      }
    },
  };
}
