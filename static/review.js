// review.js: on a post's page, choosing a passage in the source text
// puts it in the forms that quote one (a suggestion, a comment on a
// passage) with its exact place, in code points of the revision's text
// (what the server counts).  The page works without it: each form takes
// a quoted passage and the server finds it.
(function () {
	'use strict';
	var source = document.getElementById('source');
	var forms = document.querySelectorAll('form[data-quote]');
	if (!source || forms.length === 0) {
		return;
	}

	// Code points of s (a surrogate pair is one).
	function points(s) {
		var n = 0;
		for (var i = 0; i < s.length; i++) {
			var c = s.charCodeAt(i);
			if (c < 0xdc00 || c > 0xdfff) {
				n++;
			}
		}
		return n;
	}

	// The offset in source's text of (node, offset) of a selection.
	function offset(node, off) {
		var range = document.createRange();
		range.selectNodeContents(source);
		range.setEnd(node, off);
		return range.toString().length;
	}

	function role(form, name) {
		return form.querySelector('[data-role="' + name + '"]');
	}

	function chosen() {
		var sel = window.getSelection();
		if (!sel || sel.rangeCount === 0 || sel.isCollapsed) {
			return;
		}
		var r = sel.getRangeAt(0);
		if (!source.contains(r.startContainer) ||
		    !source.contains(r.endContainer)) {
			return;
		}
		var text = source.textContent;
		var a = offset(r.startContainer, r.startOffset);
		var b = offset(r.endContainer, r.endOffset);
		Array.prototype.forEach.call(forms, function (form) {
			role(form, 'passage').value = text.slice(a, b);
			role(form, 'start').value = String(points(text.slice(0, a)));
			role(form, 'end').value = String(points(text.slice(0, b)));
		});
	}

	source.addEventListener('mouseup', chosen);
	source.addEventListener('keyup', chosen);
	// A passage typed by hand is found by the server instead.
	Array.prototype.forEach.call(forms, function (form) {
		role(form, 'passage').addEventListener('input', function () {
			role(form, 'start').value = '';
			role(form, 'end').value = '';
		});
	});
}());
