// Ioc dashboard: the audible cue for a new critical alert (Web Audio, no file to download).
window.iocDashboard = {
  alertCue: function () {
    try {
      const ctx = new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.35].forEach(function (at) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = "square";
        osc.frequency.value = 880;
        gain.gain.value = 0.08;
        osc.connect(gain);
        gain.connect(ctx.destination);
        osc.start(ctx.currentTime + at);
        osc.stop(ctx.currentTime + at + 0.2);
      });
    } catch (e) {
      // Browsers without audio (or before a user gesture) still get the visual cue.
    }
  }
};
