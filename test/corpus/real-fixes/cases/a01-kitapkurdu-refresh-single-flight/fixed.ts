// sayinmehmet47/kitapKurdu PR #371 "make token refresh single-flight" (reduction, fixed)
import axios, { AxiosError, AxiosRequestConfig } from 'axios';

const api = axios.create({ baseURL: '/api' });

let accessToken: string | null = localStorage.getItem('accessToken');
let refreshPromise: Promise<string> | null = null;

async function requestNewAccessToken(): Promise<string> {
  const { data } = await axios.post<{ accessToken: string }>('/api/users/refresh', null, {
    withCredentials: true,
  });
  return data.accessToken;
}

// Every caller (proactive timer and 401 interceptor) shares one in-flight refresh.
export function refreshAccessToken(): Promise<string> {
  if (!refreshPromise) {
    refreshPromise = requestNewAccessToken()
      .then((token) => {
        accessToken = token;
        localStorage.setItem('accessToken', token);
        return token;
      })
      .finally(() => {
        refreshPromise = null;
      });
  }
  return refreshPromise;
}

api.interceptors.request.use((config) => {
  if (accessToken) config.headers.Authorization = `Bearer ${accessToken}`;
  return config;
});

api.interceptors.response.use(undefined, async (error: AxiosError) => {
  const original = error.config as AxiosRequestConfig & { _retried?: boolean };
  if (error.response?.status !== 401 || original._retried) throw error;
  original._retried = true;
  const token = await refreshAccessToken();
  original.headers = { ...original.headers, Authorization: `Bearer ${token}` };
  return api(original);
});

setInterval(() => {
  void refreshAccessToken().catch(() => undefined);
}, 14 * 60 * 1000);

export default api;
