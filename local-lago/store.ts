// The local Lago's state: named tables of JSON rows, changed only inside transactions.
// A transaction that throws is rolled back, so a request either commits whole or leaves nothing.
// With a data directory, each committed transaction is appended to a journal as one line and
// fsynced; start-up replays snapshot + journal (a torn last line from a crash is discarded) and
// compacts them into a new snapshot written atomically (temp file, fsync, rename).
import * as fs from "node:fs";
import * as path from "node:path";

export interface Row {
  id: string;
}

type Op = [table: string, id: string, row: unknown | null];

export class Table<T extends Row> {
  private readonly rows = new Map<string, T>();

  constructor(
    readonly name: string,
    private readonly store: Store,
  ) {}

  get(id: string): T | undefined {
    return this.rows.get(id);
  }

  all(): T[] {
    return [...this.rows.values()];
  }

  find(predicate: (row: T) => boolean): T | undefined {
    for (const row of this.rows.values()) if (predicate(row)) return row;
    return undefined;
  }

  filter(predicate: (row: T) => boolean): T[] {
    return this.all().filter(predicate);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Inserts or replaces a row. Rows are treated as immutable: pass a new object to change one. */
  put(row: T): T {
    this.store.record(this.name, row.id, this.rows.get(row.id) ?? null, row);
    this.rows.set(row.id, row);
    return row;
  }

  /** Hard delete (Lago soft-deletes most objects: put the row back with `deleted_at` instead). */
  remove(id: string): void {
    const previous = this.rows.get(id);
    if (!previous) return;
    this.store.record(this.name, id, previous, null);
    this.rows.delete(id);
  }

  /** @internal replay and rollback, bypassing the journal */
  restore(id: string, row: T | null): void {
    if (row === null) this.rows.delete(id);
    else this.rows.set(id, row);
  }

  /** @internal */
  clear(): void {
    this.rows.clear();
  }
}

interface Change {
  table: string;
  id: string;
  before: unknown | null;
  after: unknown | null;
}

export interface StoreOptions {
  /** Directory for the snapshot and journal; in memory only when absent. */
  dataDir?: string;
  /** fsync each committed transaction (default true). */
  fsync?: boolean;
}

export class Store {
  private readonly tables = new Map<string, Table<Row>>();
  private changes: Change[] | null = null;
  private journalFd: number | null = null;
  /** Bytes of whole transactions in the journal: where the next one is written. */
  private journalSize = 0;
  private readonly listeners: Array<(table: string, id: string, row: unknown | null) => void> = [];

  constructor(private readonly options: StoreOptions = {}) {
    if (options.dataDir) this.open(options.dataDir);
  }

  table<T extends Row>(name: string): Table<T> {
    let table = this.tables.get(name);
    if (!table) {
      table = new Table<Row>(name, this);
      this.tables.set(name, table);
    }
    return table as unknown as Table<T>;
  }

  /** Called with every row change (after commit and during replay), for derived indexes. */
  onChange(listener: (table: string, id: string, row: unknown | null) => void): void {
    this.listeners.push(listener);
  }

  /** Runs `work` atomically: all its changes are committed (and journalled) or none are. */
  transaction<R>(work: () => R): R {
    if (this.changes) return work(); // nested: part of the outer transaction
    this.changes = [];
    try {
      const result = work();
      this.persist(this.changes); // a failed journal write rolls the memory back too
      const committed = this.changes;
      this.changes = null;
      for (const c of committed) this.notify(c.table, c.id, c.after);
      return result;
    } catch (error) {
      const undo = this.changes ?? [];
      this.changes = null;
      for (let i = undo.length - 1; i >= 0; i--) {
        const c = undo[i]!;
        this.table(c.table).restore(c.id, c.before as Row | null);
      }
      throw error;
    }
  }

  /** @internal */
  record(table: string, id: string, before: unknown | null, after: unknown | null): void {
    if (!this.changes) throw new Error(`write to ${table} outside a transaction`);
    this.changes.push({ table, id, before, after });
  }

  /** Empties every table (admin reset); persisted as a fresh empty snapshot. */
  reset(): void {
    for (const table of this.tables.values()) table.clear();
    if (this.options.dataDir) this.compact(this.options.dataDir);
    for (const l of this.listeners) l("*", "*", null);
  }

  /** A copy of every table's rows, tables and rows in a stable order: equal states give equal snapshots. */
  snapshot(): Record<string, Row[]> {
    const out: Record<string, Row[]> = {};
    for (const name of [...this.tables.keys()].sort()) {
      const rows = this.tables.get(name)!.all();
      if (rows.length) out[name] = structuredClone(rows).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    return out;
  }

  /** Puts the store back to a snapshot (outside any transaction); persisted like a reset. */
  restoreSnapshot(snapshot: Record<string, Row[]>): void {
    for (const table of this.tables.values()) table.clear();
    for (const [name, rows] of Object.entries(snapshot)) {
      const table = this.table(name);
      for (const row of structuredClone(rows)) table.restore(row.id, row);
    }
    if (this.options.dataDir) this.compact(this.options.dataDir);
    for (const l of this.listeners) l("*", "*", null);
  }

  close(): void {
    if (this.journalFd !== null) fs.closeSync(this.journalFd);
    this.journalFd = null;
  }

  private notify(table: string, id: string, row: unknown | null): void {
    for (const l of this.listeners) l(table, id, row);
  }

  private persist(changes: Change[]): void {
    if (this.journalFd === null || changes.length === 0) return;
    const ops: Op[] = changes.map((c) => [c.table, c.id, c.after]);
    const line = Buffer.from(JSON.stringify(ops) + "\n");
    try {
      let written = 0;
      while (written < line.length) written += fs.writeSync(this.journalFd, line, written, line.length - written, this.journalSize + written);
      if (this.options.fsync !== false) fs.fsyncSync(this.journalFd);
      this.journalSize += line.length;
    } catch (error) {
      // Cut a partial line off so the transactions after it still replay.
      try {
        fs.ftruncateSync(this.journalFd, this.journalSize);
      } catch {
        /* the write's own error is the one to report */
      }
      throw error;
    }
  }

  private open(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    // Left-overs of a compaction that crashed before its rename: the old snapshot + journal still hold everything.
    for (const name of fs.readdirSync(dir)) if (/^snapshot\.json\..*\.tmp$/.test(name)) fs.rmSync(path.join(dir, name), { force: true });
    const snapshotPath = path.join(dir, "snapshot.json");
    if (fs.existsSync(snapshotPath)) {
      const snapshot = JSON.parse(fs.readFileSync(snapshotPath, "utf8")) as Record<string, Row[]>;
      for (const [name, rows] of Object.entries(snapshot)) {
        const table = this.table(name);
        for (const row of rows) table.restore(row.id, row);
      }
    }
    const journalPath = path.join(dir, "journal.ndjson");
    // Only a regular file holds transactions; reading a device or a pipe might never end.
    if (fs.existsSync(journalPath) && fs.statSync(journalPath).isFile()) {
      const lines = fs.readFileSync(journalPath, "utf8").split("\n");
      // A transaction counts once its whole line, newline included, is on disk: the text after the
      // last newline is one torn by a crash, never acknowledged to a client, and is dropped.
      lines.pop();
      for (const [n, line] of lines.entries()) {
        let ops: Op[];
        try {
          ops = JSON.parse(line) as Op[];
        } catch {
          console.error(`[local-lago] ${journalPath}: line ${n + 1} of ${lines.length} is corrupt; it and the lines after it are dropped`);
          break;
        }
        for (const [name, id, row] of ops) this.table(name).restore(id, row as Row | null);
      }
    }
    this.compact(dir);
  }

  /** Writes all tables to a new snapshot atomically and starts an empty journal. */
  private compact(dir: string): void {
    const snapshot: Record<string, Row[]> = {};
    for (const [name, table] of this.tables) snapshot[name] = table.all();
    const tmp = path.join(dir, `snapshot.json.${process.pid}.tmp`);
    const fd = fs.openSync(tmp, "w");
    fs.writeSync(fd, JSON.stringify(snapshot));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, path.join(dir, "snapshot.json"));
    const dirFd = fs.openSync(dir, "r");
    fs.fsyncSync(dirFd);
    fs.closeSync(dirFd);
    if (this.journalFd !== null) fs.closeSync(this.journalFd);
    this.journalFd = fs.openSync(path.join(dir, "journal.ndjson"), "w");
    this.journalSize = 0;
    for (const l of this.listeners) l("*", "*", null);
  }
}
