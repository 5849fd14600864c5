// redis/node-redis issue #609 "Update key race condition": WATCH/GET/MULTI/EXEC with replay (reduction, fixed)
'use strict';
var redis = require('redis');

function CallStateStore(settings) {
  this._settings = settings;
  this._client = redis.createClient(settings.redisPort, settings.redisHost);
}

CallStateStore.prototype.getCallState = function (callId, callback) {
  this._client.get('callstate.' + callId, callback);
};

// Moves the call from currentState to state only if nobody changed it meanwhile.
CallStateStore.prototype.updateCallState = function (callId, currentState, state, callback) {
  var self = this;
  self._client.watch('callstate.' + callId, function (err) {
    if (err) return callback(err);
    self.getCallState(callId, function (err, redisCurrentState) {
      if (err) return callback(err);
      if (redisCurrentState !== currentState) {
        self._client.unwatch();
        return callback(new Error('state changed to ' + redisCurrentState));
      }
      self._client.multi()
        .setex('callstate.' + callId, self._settings.callStateDuration, state)
        .exec(function (err, results) {
          if (err) return callback(err);
          if (results === null) {
            // EXEC aborted: the key moved under us; read again and retry.
            return self.updateCallState(callId, currentState, state, callback);
          }
          callback(null);
        });
    });
  });
};

module.exports = CallStateStore;
