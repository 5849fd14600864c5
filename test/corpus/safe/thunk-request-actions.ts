// Safe: Redux thunks that read the state before an await and, after it, dispatch a request
// naming a record (not a value computed from the old state), or read the state again.
declare function fetchPosts(userId: string): Promise<string[]>;
declare function loadPosts(userId: string): { type: 'posts/load'; userId: string };
declare function setPosts(posts: string[]): { type: 'posts/set'; posts: string[] };
declare function setCount(n: number): { type: 'count/set'; n: number };

interface RootState {
  user: { id: string };
  posts: string[];
  count: number;
}
type Dispatch = (action: unknown) => void;

export const refreshPosts = () => async (dispatch: Dispatch, getState: () => RootState) => {
  const { user } = getState();
  const posts = await fetchPosts(user.id);
  dispatch(setPosts(posts));
  dispatch(loadPosts(user.id));
};

export const bumpLater = (by: number) => async (dispatch: Dispatch, getState: () => RootState) => {
  await fetchPosts('');
  dispatch(setCount(getState().count + by));
};
