// scratchfoundation/scratch-audio before PR #43 (buggy twin): the sound's own buffer is decoded
// and so detached; the project later saves or decodes it again from an empty buffer.
class AudioEngine {
  constructor() {
    this.audioContext = new AudioContext();
    this.audioBuffers = {};
  }

  /**
   * Decode a sound.
   * @param {{ md5: string, data: { buffer: ArrayBuffer } }} sound
   */
  decodeSound(sound) {
    return this.audioContext.decodeAudioData(sound.data.buffer).then((audioBuffer) => {
//         ^ shared-memory
      this.audioBuffers[sound.md5] = audioBuffer;
      return sound.md5;
    });
  }
}

module.exports = AudioEngine;
