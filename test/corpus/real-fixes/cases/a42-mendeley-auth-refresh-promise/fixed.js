// Mendeley/mendeley-javascript-sdk PR #79 "Do not send multiple concurrent refresh token
// requests" (reduction, fixed): the auth flow keeps the first refresh promise; later 401s
// resolve on it until it settles, then it is dropped.
'use strict';

function refreshTokenFlow(options) {
  var accessToken = options.accessToken;
  var refreshPromise = null;

  function doRefresh() {
    return fetch(options.refreshAccessTokenUrl, { method: 'POST', credentials: 'include' })
      .then(function (response) {
        if (!response.ok) throw new Error('refresh failed: ' + response.status);
        return response.json();
      })
      .then(function (body) {
        accessToken = body.access_token;
        return accessToken;
      });
  }

  return {
    getToken: function () {
      return accessToken;
    },
    refreshToken: function () {
      if (!refreshPromise) {
        refreshPromise = doRefresh().then(
          function (token) {
            refreshPromise = null;
            return token;
          },
          function (err) {
            refreshPromise = null;
            throw err;
          }
        );
      }
      return refreshPromise;
    },
  };
}

function createRequest(authFlow) {
  return function request(url) {
    return fetch(url, { headers: { Authorization: 'Bearer ' + authFlow.getToken() } }).then(function (res) {
      if (res.status !== 401) return res;
      return authFlow.refreshToken().then(function () {
        return fetch(url, { headers: { Authorization: 'Bearer ' + authFlow.getToken() } });
      });
    });
  };
}

module.exports = { refreshTokenFlow: refreshTokenFlow, createRequest: createRequest };
