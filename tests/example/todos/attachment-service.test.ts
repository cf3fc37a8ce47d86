import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryTodoRepository } from '../../../service/todos/memory-repository';
import { attachmentKey } from '../../../service/todos/repository';
import { TodoService } from '../../../service/todos/service';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The attachment's storage rules (service/todos/service.ts): a todo never names bytes that are not stored, and bytes no todo names are deleted. */
describe('TodoService attachments', () => {
  const setup = async () => {
    const repo = new MemoryTodoRepository();
    const todos = new TodoService(repo);
    const todo = await todos.create({ title: 'with a file' });
    return { repo, todos, id: todo.id };
  };
  const upload = (text: string, name = 'a.txt') => ({ name, mediaType: 'application/octet-stream', bytes: Buffer.from(text) });

  it('a replaced file is deleted; the todo names the new one, whose bytes are stored', async () => {
    const { repo, todos, id } = await setup();
    await todos.attach(id, upload('one'));
    const second = await todos.attach(id, upload('two'));
    expect(await repo.getAttachment(attachmentKey(id, sha256('one')))).toBeUndefined();
    expect((await todos.attachment(id)).bytes.toString()).toBe('two');
    expect(second.attachment).toEqual({ name: 'a.txt', mediaType: 'application/octet-stream', size: 3, sha256: sha256('two') });
  });

  it('an upload refused by If-Match (412) leaves no bytes behind and the attachment as it was, even for the same file', async () => {
    const { repo, todos, id } = await setup();
    const kept = await todos.attach(id, upload('one'));
    await expect(todos.attach(id, upload('other'), { ifMatch: '"1"' })).rejects.toMatchObject({ status: 412 });
    expect(await repo.getAttachment(attachmentKey(id, sha256('other')))).toBeUndefined();
    await expect(todos.attach(id, upload('one'), { ifMatch: '"1"' })).rejects.toMatchObject({ status: 412 });
    expect((await todos.attachment(id)).bytes.toString()).toBe('one');
    expect((await todos.get(id)).attachment).toEqual(kept.attachment);
  });

  it('deleting the todo deletes its bytes; removing the attachment twice is a 404', async () => {
    const { repo, todos, id } = await setup();
    await todos.attach(id, upload('one'));
    await todos.detach(id);
    await expect(todos.detach(id)).rejects.toMatchObject({ status: 404 });
    expect(await repo.getAttachment(attachmentKey(id, sha256('one')))).toBeUndefined();
    await todos.attach(id, upload('two'));
    await todos.delete(id);
    expect(await repo.getAttachment(attachmentKey(id, sha256('two')))).toBeUndefined();
  });
});
