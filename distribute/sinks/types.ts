/** What every destination kind implements: apply a batch of upserts or deletes. */

/** A record as the destination sees it: its key field plus the mapped (possibly hashed) fields. */
export type OutRecord = Readonly<Record<string, string | null>>;

export interface Sink {
  /**
   * True when a batch is applied for good once `upsert`/`remove` resolve (HTTP, PostgreSQL), so
   * sync state can be committed batch by batch and a failure midway loses nothing sent. False for
   * files, which appear atomically at `finish`: state is committed after it.
   */
  readonly durablePerBatch: boolean;
  upsert(records: readonly OutRecord[], batchId: string): Promise<void>;
  remove(keys: readonly string[], batchId: string): Promise<void>;
  /** Publish (files) and release resources; returns where the data went, for the run record. */
  finish(): Promise<string | null>;
  /** Give up: release resources, publish nothing further. */
  abort(): Promise<void>;
}
