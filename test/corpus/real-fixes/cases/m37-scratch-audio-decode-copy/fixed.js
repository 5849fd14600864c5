// scratchfoundation/scratch-audio PR #43 "Make a copy before using audio buffer" (reduction,
// fixed): decoding detaches the ArrayBuffer, and the project keeps the sound's bytes to save
// them again, so a copy (slice(0)) is decoded.
class AudioEngine {
  constructor() {
    this.audioContext = new AudioContext();
    this.audioBuffers = {};
  }

  /**
   * Decode a sound, keeping its bytes intact for saving.
   * @param {{ md5: string, data: { buffer: ArrayBuffer } }} sound
   */
  decodeSound(sound) {
    const bufferCopy = sound.data.buffer.slice(0);
    return this.audioContext.decodeAudioData(bufferCopy).then((audioBuffer) => {
      this.audioBuffers[sound.md5] = audioBuffer;
      return sound.md5;
    });
  }
}

module.exports = AudioEngine;
