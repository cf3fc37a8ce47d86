import { Readable } from 'node:stream';
import type { TodoFilter, TodoPage } from './repository';
import type { Todo } from './schemas';

/** The export's columns, in order: the header row's names and each todo's fields (the attachment by its file name). */
export const CSV_COLUMNS = ['id', 'title', 'description', 'priority', 'completed', 'createdAt', 'updatedAt', 'attachment'] as const;

/** Todos per store page the export reads: one page in memory at a time, whatever the number of todos. */
export const EXPORT_PAGE_SIZE = 100;

/**
 * Returns `value` as one CSV field (RFC 4180 section 2): as it is, unless it holds a comma, a double quote, CR or LF
 * (or starts or ends with a space, which some readers trim), then in double quotes with each quote doubled.
 */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Returns one CSV record of `todo`, CRLF-terminated (RFC 4180 section 2: "each record ... delimited by a line break (CRLF)"). */
export function csvRecord(todo: Todo): string {
  const values: Record<(typeof CSV_COLUMNS)[number], string> = {
    id: todo.id,
    title: todo.title,
    description: todo.description ?? '',
    priority: todo.priority,
    completed: String(todo.completed),
    createdAt: todo.createdAt,
    updatedAt: todo.updatedAt,
    attachment: todo.attachment?.name ?? '',
  };
  return `${CSV_COLUMNS.map((c) => csvField(values[c])).join(',')}\r\n`;
}

/**
 * Returns the todos matching `filter` as an RFC 4180 CSV stream (header row, then one record per todo in list order):
 * a Readable over an async generator that reads the store a page at a time (`list`, EXPORT_PAGE_SIZE per page), so
 * a large export never sits in memory whole. `first` is the first page, read before the response starts so a store
 * failure there is still a proper error answer (503); a failure on a later page ends the stream with that error.
 */
export function todosCsv(first: TodoPage, list: (filter: TodoFilter, page: { limit: number; cursor?: string }) => Promise<TodoPage>, filter: TodoFilter): Readable {
  async function* records(): AsyncGenerator<string> {
    yield `${CSV_COLUMNS.join(',')}\r\n`;
    let page = first;
    for (;;) {
      if (page.items.length > 0) yield page.items.map(csvRecord).join('');
      if (page.nextCursor === null) return;
      page = await list(filter, { limit: EXPORT_PAGE_SIZE, cursor: page.nextCursor });
    }
  }
  return Readable.from(records(), { objectMode: false });
}
