// editor.js: the post editor's improvements when JavaScript runs.  The
// page works without it (Preview and Save are round trips); with it, the
// preview follows the typing (POST /api/v1/preview) and the text is
// saved a few seconds after typing stops, through the JSON API: a new
// post is created once (POST /api/v1/units/{slug}/posts), then each
// save names the revision it was written from (PUT /api/v1/posts/{id}
// with If-Match).  When someone else saved first (412), autosave stops
// and the person is told to press Save, which shows the conflict page.
(function () {
	'use strict';

	var form = document.getElementById('editor');
	if (!form)
		return;
	var status = document.getElementById('save-status');
	var preview = document.getElementById('preview');
	var previewBody = document.getElementById('preview-body');
	var token = form.elements.csrf_token.value;
	var unit = form.getAttribute('data-unit');
	var post = form.getAttribute('data-post');
	var base = form.elements.base ? form.elements.base.value : null;
	var saveTimer = null, previewTimer = null, saving = false;
	var stopped = false, dirty = false;
	var SAVE_DELAY = 3000, PREVIEW_DELAY = 400;

	function say(text) {
		status.textContent = text;
	}

	function hhmm(d) {
		return ('0' + d.getHours()).slice(-2) + ':' +
		    ('0' + d.getMinutes()).slice(-2);
	}

	function send(method, url, body, extra) {
		var headers = { 'Content-Type': 'application/json',
		    'Accept': 'application/json', 'X-CSRF-Token': token };
		for (var k in extra)
			headers[k] = extra[k];
		return fetch(url, { method: method, headers: headers,
		    body: JSON.stringify(body), credentials: 'same-origin' });
	}

	// The text as the API takes it; tags cut at commas.
	function text() {
		var channels = [];
		var boxes = form.querySelectorAll('input[name="channels"]');
		for (var i = 0; i < boxes.length; i++)
			if (boxes[i].checked)
				channels.push(boxes[i].value);
		var tags = form.elements.tags.value.split(',').map(function (t) {
			return t.trim();
		}).filter(function (t) { return t !== ''; });
		return { title: form.elements.title.value,
		    body: form.elements.body.value, tags: tags,
		    channels: channels };
	}

	function saved(rev) {
		base = String(rev);
		if (form.elements.base)
			form.elements.base.value = base;
		say('Saved ' + hhmm(new Date()) + ' (revision ' + base + ')');
	}

	// A new post becomes an edited one: its form posts to its editor.
	function created(id) {
		post = String(id);
		form.setAttribute('data-post', post);
		form.action = '/posts/' + post + '/edit';
		var b = document.createElement('input');
		b.type = 'hidden';
		b.name = 'base';
		form.appendChild(b);
		if (window.history && history.replaceState)
			history.replaceState(null, '', '/posts/' + post + '/edit');
	}

	function autosave() {
		saveTimer = null;
		if (stopped || saving || !dirty)
			return;
		var t = text();
		if (t.title.trim() === '') {
			say('Not saved yet: give the post a title.');
			return;
		}
		saving = true;
		dirty = false;
		var req = post ? send('PUT', '/api/v1/posts/' + post, t,
		    { 'If-Match': '"' + base + '"' }) :
		    send('POST', '/api/v1/units/' + unit + '/posts', t, {});
		req.then(function (r) {
			return r.json().then(function (j) {
				return { status: r.status, json: j };
			}, function () { return { status: r.status, json: {} }; });
		}).then(function (res) {
			saving = false;
			if (res.status === 201 && !post) {
				created(res.json.id);
				saved(res.json.revision);
			} else if (res.status === 200) {
				saved(res.json.revision);
			} else if (res.status === 412) {
				stopped = true;
				say('Someone else saved: press Save to compare ' +
				    'and merge. Autosave is off.');
				return;
			} else {
				dirty = true;
				say('Not saved: ' + ((res.json.error &&
				    res.json.error.message) || 'error ' +
				    res.status) + '. Press Save to try again.');
				return;
			}
			if (dirty)
				schedule();
		}, function () {
			saving = false;
			dirty = true;
			say('Not saved: the server cannot be reached. ' +
			    'Press Save to try again.');
		});
	}

	function schedule() {
		if (stopped)
			return;
		if (saveTimer)
			clearTimeout(saveTimer);
		saveTimer = setTimeout(autosave, SAVE_DELAY);
	}

	function refresh() {
		previewTimer = null;
		send('POST', '/api/v1/preview', { body: form.elements.body.value },
		    {}).then(function (r) {
			return r.ok ? r.json() : null;
		}).then(function (j) {
			if (!j)
				return;
			// The server's safe renderer made this HTML (markdown.h).
			previewBody.innerHTML = j.html;
			preview.hidden = false;
		}, function () {});
	}

	function changed(e) {
		dirty = true;
		if (e.target === form.elements.body || e.type === 'change') {
			if (previewTimer)
				clearTimeout(previewTimer);
			previewTimer = setTimeout(refresh, PREVIEW_DELAY);
		}
		if (!stopped)
			say('Editing…');
		schedule();
	}

	form.addEventListener('input', changed);
	form.addEventListener('change', changed);
	form.addEventListener('submit', function () {
		stopped = true;
		if (saveTimer)
			clearTimeout(saveTimer);
	});
	preview.hidden = false;
	if (form.elements.body.value !== '' && previewBody.innerHTML.trim() ===
	    '')
		refresh();
})();
