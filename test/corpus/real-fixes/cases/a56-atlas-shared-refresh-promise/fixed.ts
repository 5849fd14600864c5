// Senthil455/Atlas-Workforce-System PR #5 "fix: eliminate token refresh race condition with shared
// promise" (reduction, fixed): the module-level refreshing flag and queue are replaced by one
// promise, set synchronously; concurrent 401s await it instead of starting their own refresh.
import axios from 'axios';

const api = axios.create({ baseURL: '/api' });

let accessToken: string | null = sessionStorage.getItem('accessToken');
let refreshPromise: Promise<string> | null = null;

function refreshAccessToken(): Promise<string> {
  if (!refreshPromise) {
    refreshPromise = axios
      .post<{ accessToken: string }>('/api/auth/refresh', null, { withCredentials: true })
      .then(({ data }) => {
        accessToken = data.accessToken;
        sessionStorage.setItem('accessToken', data.accessToken);
        return data.accessToken;
      })
      .finally(() => {
        refreshPromise = null;
      });
  }
  return refreshPromise;
}

api.interceptors.request.use((config: any) => {
  if (accessToken) config.headers.Authorization = `Bearer ${accessToken}`;
  return config;
});

api.interceptors.response.use(undefined, async (error: any) => {
  const original = error.config;
  if (error.response?.status !== 401 || original._retry) throw error;
  original._retry = true;
  const token = await refreshAccessToken();
  original.headers.Authorization = `Bearer ${token}`;
  return api(original);
});

export default api;
