import type { StrapiUserRow, UserStore } from '../userStore';

export interface MemoryUserStore extends UserStore {
  /** A user as users-permissions would have stored it (tests only); its id when none is given. */
  add(user: Partial<StrapiUserRow> & { username: string }): StrapiUserRow;
  /** Every user, copied (tests only). */
  all(): StrapiUserRow[];
}

/**
 * The users table in memory, for unit tests: each method matches the rows the `WHERE` of
 * `createUserStore` would. `create` stores the password as given (users-permissions hashes it).
 */
export function createMemoryUserStore(): MemoryUserStore {
  let rows: StrapiUserRow[] = [];
  let lastId = 0;

  /** A row without its relations, as `findOne` without `populate` answers. */
  const copy = ({ role: _role, ...row }: StrapiUserRow): StrapiUserRow => ({ ...row });
  const first = (match: (row: StrapiUserRow) => boolean): StrapiUserRow | null => {
    const row = rows.find(match);
    return row === undefined ? null : copy(row);
  };
  const contains = (value: unknown, term: string): boolean =>
    typeof value === 'string' && value.toLowerCase().includes(term.toLowerCase());
  const searched = (term: string) => (row: StrapiUserRow) =>
    term === '' ||
    contains(row.username, term) ||
    contains(row.email, term) ||
    (/^\d{1,15}$/.test(term) && row.id === Number(term));
  const summary = ({ id, username, email, blocked }: StrapiUserRow) => ({ id, username, email, blocked });

  function insert(user: Partial<StrapiUserRow> & { username: string }): StrapiUserRow {
    const id = user.id ?? lastId + 1;
    lastId = Math.max(lastId, id);
    const row: StrapiUserRow = { email: null, blocked: false, confirmed: false, ...user, id };
    rows.push(row);
    return { ...row };
  }

  return {
    add: insert,

    all() {
      return rows.map((row) => ({ ...row }));
    },

    async findById(id) {
      return first((row) => row.id === id);
    },

    async findWithRole(id) {
      const row = rows.find((user) => user.id === id);
      return row === undefined ? null : { ...row, role: row.role ?? null };
    },

    async findLocalByIdentifier(identifier) {
      return first(
        (row) => row.provider === 'local' && (row.email === identifier.toLowerCase() || row.username === identifier),
      );
    },

    async findByResetPasswordToken(token) {
      return first((row) => row.resetPasswordToken === token);
    },

    async findByConfirmationToken(token) {
      return first((row) => row.confirmationToken === token);
    },

    async findSummary(id) {
      const row = rows.find((user) => user.id === id);
      return row === undefined ? null : summary(row);
    },

    async searchSummaries(term, { offset, limit }) {
      return rows
        .filter(searched(term))
        .sort((a, b) => a.id - b.id)
        .slice(offset, offset + limit)
        .map(summary);
    },

    async countSearch(term) {
      return rows.filter(searched(term)).length;
    },

    async usernamesOf(ids) {
      return rows.filter((row) => ids.includes(row.id)).map(({ id, username }) => ({ id, username }));
    },

    async countByUsernameOrEmail(username, email) {
      return rows.filter((row) => row.username === username || (email !== undefined && row.email === email)).length;
    },

    async countClaiming({ email, username }, { provider } = {}) {
      const lower = email.toLowerCase();
      return rows.filter(
        (row) =>
          (provider === undefined || row.provider === provider) &&
          (row.email === lower || row.username === lower || row.username === username || row.email === username),
      ).length;
    },

    async create(data) {
      const { username, ...rest } = data;
      return copy(insert({ ...rest, username: String(username) }));
    },

    async resetPassword(id, password) {
      const row = rows.find((user) => user.id === id);
      if (row !== undefined) Object.assign(row, { resetPasswordToken: null, password });
    },

    async setConfirmed(id, confirmed) {
      const row = rows.find((user) => user.id === id);
      if (row !== undefined) row.confirmed = confirmed;
    },

    async deleteUnconfirmed(id) {
      rows = rows.filter((row) => row.id !== id || row.confirmed !== false);
    },
  };
}
