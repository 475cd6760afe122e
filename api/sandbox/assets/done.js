window.parent.postMessage('DONE', '*');
