// Rob--W/chrome-api#3 (fixed): the validation post to the dummy worker sends
// the message without the transfer list, so the real post still owns the buffers.
(function () {
  var dummyWorker = new Worker('data:,');

  function PatchedWorker(url) {
    this.Worker = new Worker(url);
    this.queue = [];
    this.ready = false;
  }

  PatchedWorker.prototype.postMessage = function (message, transfer) {
    if (this.ready) {
      this.Worker.postMessage(message, transfer);
    } else {
      // Trigger validation (throws DataCloneError early) without detaching anything.
      dummyWorker.postMessage(message);
      this.queue.push([message, transfer]);
    }
  };

  PatchedWorker.prototype.flush = function () {
    this.ready = true;
    var q = this.queue;
    this.queue = [];
    for (var i = 0; i < q.length; i++) {
      this.Worker.postMessage(q[i][0], q[i][1]);
    }
  };

  var w = new PatchedWorker('decoder.js');
  var frame = new Uint8Array(4096);
  w.postMessage({ frame: frame.buffer }, [frame.buffer]);
  w.flush();
})();
