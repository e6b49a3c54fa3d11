import { describe, expect, it } from 'vitest';
import { createMemoryUserStore } from './memoryUserStore';

describe('memoryUserStore (the users table in memory)', () => {
  it('should find users as the SQL store would: by id without the role, by identifier, by search', async () => {
    const users = createMemoryUserStore();
    users.add({ username: 'ada', email: 'ada@example.com', provider: 'local', confirmed: true, role: { id: 1 } });
    users.add({ username: 'Bob', email: 'bob@example.com', provider: 'google' });

    expect(await users.findById(1)).not.toHaveProperty('role');
    expect((await users.findWithRole(1))?.role).toEqual({ id: 1 });
    expect((await users.findLocalByIdentifier('ADA@example.com'))?.id).toBe(1);
    expect(await users.findLocalByIdentifier('Bob')).toBeNull();
    expect((await users.searchSummaries('BO', { offset: 0, limit: 10 })).map((user) => user.id)).toEqual([2]);
    expect(await users.countSearch('1')).toBe(1);
    expect(await users.countSearch('')).toBe(2);
    expect(await users.countClaiming({ email: 'Bob@example.com', username: 'x' })).toBe(1);
    expect(await users.countClaiming({ email: 'Bob@example.com', username: 'x' }, { provider: 'local' })).toBe(0);
    expect(await users.usernamesOf([])).toEqual([]);
  });

  it('should delete a user only while unconfirmed', async () => {
    const users = createMemoryUserStore();
    const { id } = await users.create({ username: 'new', confirmed: false });
    await users.setConfirmed(id, true);
    await users.deleteUnconfirmed(id);
    expect(await users.findById(id)).not.toBeNull();
    await users.setConfirmed(id, false);
    await users.deleteUnconfirmed(id);
    expect(await users.findById(id)).toBeNull();
  });
});
