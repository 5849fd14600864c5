// sayinmehmet47/kitapKurdu PR #371, before the fix (buggy twin)
import axios, { AxiosError, AxiosRequestConfig } from 'axios';

const api = axios.create({ baseURL: '/api' });

let accessToken: string | null = localStorage.getItem('accessToken');
let isRefreshing = false;

export async function refreshAccessToken(): Promise<string | null> {
  if (isRefreshing) return accessToken;
  const { data } = await axios.post<{ accessToken: string }>('/api/users/refresh', null, {
    withCredentials: true,
  });
  isRefreshing = true;
//^ check-then-act
  accessToken = data.accessToken;
  localStorage.setItem('accessToken', data.accessToken);
  isRefreshing = false;
  return accessToken;
}

api.interceptors.response.use(undefined, async (error: AxiosError) => {
  const original = error.config as AxiosRequestConfig & { _retried?: boolean };
  if (error.response?.status !== 401 || original._retried) throw error;
  original._retried = true;
  const token = await refreshAccessToken();
  original.headers = { ...original.headers, Authorization: `Bearer ${token}` };
  return api(original);
});

export default api;
