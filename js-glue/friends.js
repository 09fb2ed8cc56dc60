// The user's friendships as a call knows them: loaded once on joining, changed by Add Friend (the
// server's answer) and by the core's `friend` command (friend:update from the server). Cards read
// relation() to word their Add Friend button.
export class Friends {
  #relations = new Map(); // user id -> 'friends' | 'outgoing' | 'incoming'
  #friends = []; // [{user_id, display_name, presence}] as last loaded, friends only
  #api;

  // api(path, json?): the call's REST client (resolves to the body, throws a MehfilError).
  constructor(api) {
    this.#api = api;
  }

  relation(userId) { return this.#relations.get(userId) ?? null; }
  set(userId, relation) { this.#relations.set(userId, relation); }

  // Resolves true when the list came (a guest without friends gets an empty one).
  async load() {
    const body = await this.#api('/api/friends').catch(() => null);
    if (!body) return false;
    this.#relations = new Map(body.friends.map((f) => [f.user_id, f.relation]));
    this.#friends = body.friends.filter((f) => f.relation === 'friends')
      .map(({ user_id, display_name, presence }) => ({ user_id, display_name, presence }));
    return true;
  }

  list() { return this.#friends.map((f) => ({ ...f })); }

  // A friend request (or the acceptance of theirs); resolves to the relation now.
  async add(userId) {
    const body = await this.#api('/api/friends/request', { target_user_id: String(userId) });
    this.#relations.set(String(userId), body.relation);
    return body.relation;
  }
}
