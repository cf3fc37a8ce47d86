/**
 * The app's own conformance contracts (flows beyond its schemas), as an app descriptor declares them
 * (`contracts`) and the conformance suite (./run.ts) runs them. Types only: the descriptor names them
 * without loading the suite.
 */

/** A check of the app's own behaviour, beyond what the document can say (e.g. If-Match, pagination): an app descriptor's `contracts`. */
export interface Contract {
  name: string;
  /** operationIds the contract calls; absent from the document, the contract is skipped with a note. */
  operations: string[];
  /** The most requests `run` sends, for the announcement and the budget. */
  plannedRequests: number;
  run(ctx: ContractContext): Promise<void>;
}

export interface ContractContext {
  baseUrl: string;
  apiKey: string;
  /** A paced, counted `fetch`; each response is checked against the document like any case. */
  fetch: typeof fetch;
  /** Runs one named step; it fails when `fn` throws or one of its responses breaks the document. */
  step(title: string, fn: () => Promise<void>): Promise<void>;
}
