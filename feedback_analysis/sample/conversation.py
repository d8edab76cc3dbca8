"""How a thread unfolds: comments and replies, who answers what and in which stance."""

from __future__ import annotations

import math
from typing import Any

from feedback_analysis.sample.world import _OPPOSITE, _ROLE_WEIGHTS, CLOSURE_TOPIC, SERVICES, _Row


class _Threads:
    """Comments and replies under a post (a mixin of the generator, sharing its ``rng`` and ``bank``)."""

    def _poisson(self, mean: float) -> int:
        limit, count, product = math.exp(-min(mean, 30.0)), 0, self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count

    def _thread(self, post: _Row) -> None:
        mean = {"negative": 1.8, "positive": 1.0, "neutral": 1.3}[post.sentiment]
        if post.topic_key == CLOSURE_TOPIC or post.abuse != "none":
            mean = 2.8
        elif not post.service:
            mean = 1.0
        # Gamma-Poisson: most posts get a few reactions, some threads run long.
        for _ in range(self._poisson(self.rng.gammavariate(1.2, mean / 1.2))):
            comment = self._comment(post, post, "comment")
            replies = {"pushback": 0.9, "answer": 0.55, "tag": 0.5}.get(comment.role, 0.3)
            for _ in range(self._poisson(replies)):
                self._comment(post, comment, "reply")

    def _comment(self, root: _Row, parent: _Row, kind: str) -> _Row:
        rng = self.rng
        author = self._person(root.lang, avoid=parent.author)
        ts = self._after(parent.ts, 45 if kind == "comment" else 25)
        abuse = self._abuse()
        if abuse != "none":
            text, service = self._abusive_text(abuse, root.service)
            values = {"text": text, "service": service, "sentiment": "negative", "topic_key": f"abuse_{abuse}",
                      "role": "abuse"}
        else:
            role = self._role(parent)
            if role == "thanks" or (role == "defend" and parent.author != root.author):
                author = root.author
            if role == "tag_reply" and parent.mention:
                author = parent.mention
            values = self._comment_content(root, parent, role)
        likes = self._count(2.5 if values["role"] in ("agree", "abuse") else 1.2)
        reactions = {"like": likes}
        if values["sentiment"] == "positive" and rng.random() < 0.3:
            reactions["love"] = self._count(1.5)
        if values["role"] == "joke" and rng.random() < 0.5:
            reactions["haha"] = self._count(2)
        return self._add(kind=kind, author=author, ts=ts, parent=parent, root=root, abuse=abuse,
                         reactions=reactions, **values)

    def _role(self, parent: _Row) -> str:
        rng = self.rng
        if parent.kind != "post":
            special = {"answer": ("thanks", 0.55), "pushback": ("defend", 0.45), "tag": ("tag_reply", 0.7)}
            if parent.role in special and rng.random() < special[parent.role][1]:
                return special[parent.role][0]
        if parent.lang != "nl" and parent.kind == "post" and rng.random() < 0.12:
            return "language"
        roles, weights = zip(*_ROLE_WEIGHTS[parent.sentiment])
        return rng.choices(roles, weights=weights)[0]

    def _comment_content(self, root: _Row, parent: _Row, role: str) -> dict[str, Any]:
        rng = self.rng
        bank = self.bank
        generic = bank["generic"]
        service = root.service
        spec = bank["services"].get(service, {})
        ctx = {"ouder": parent.author.split()[0]}
        if spec:
            ctx.update(staff=rng.choice(spec["staff"]), dienst=rng.choice(spec["dienst"]))
        lang = root.lang if root.lang != "nl" and rng.random() < 0.55 else self._comment_language()
        sentiment = parent.sentiment
        compliment = False
        topic = role
        mention = ""

        if role == "pushback" and sentiment == "neutral" or role == "opinion" and not service:
            role = "agree"
        if role == "drift":
            service = rng.choice(SERVICES)
            spec = bank["services"][service]
            sentiment = "negative" if rng.random() < 0.7 else "positive"
            ctx.update(staff=rng.choice(spec["staff"]), dienst=rng.choice(spec["dienst"]))
            if rng.random() < 0.5:
                template, topic = rng.choice(spec["comments"][sentiment]), f"{service}_comment"
            else:
                topic, template = self._family(spec["posts"][sentiment], {})
            lang = "nl"
        elif role == "opinion":
            mood = {key: value for key, value in spec["sentiment"].items() if key != "neutral"}
            sentiment = self._pick(mood)
            template, topic = rng.choice(spec["comments"][sentiment]), f"{service}_comment"
        elif role in ("agree", "pushback", "defend"):
            if role == "pushback":
                sentiment = _OPPOSITE[sentiment]
            elif role == "defend":
                sentiment = root.sentiment
            template, topic, compliment = self._stance_template(root, role, sentiment, lang)
        elif role == "answer":
            sentiment = "neutral"
            if spec and rng.random() < 0.6:
                template, topic = rng.choice(spec["comments"]["neutral"]), f"{service}_answer"
            else:
                template = rng.choice(generic["answer"])
            if lang != "nl":
                template, topic = rng.choice(bank["foreign"][lang]["agree"]["neutral"]), f"answer_{lang}"
        else:  # tag, tag_reply, pm, thanks, joke, language: no opinion about a service
            sentiment = "positive" if role == "thanks" else "neutral"
            service, lang = "", "nl"
            template = rng.choice(generic[role])
            if role == "tag":
                mention = self._person(avoid=parent.author)
                ctx["mention"] = mention
        if lang != "nl" and role not in ("agree", "pushback", "answer", "defend"):
            lang = "nl"
        text = self.render(template, ctx)
        if role in ("agree", "pushback", "defend", "answer", "opinion") and rng.random() < 0.18:
            # People address whom they answer, by first name or with a tag.
            text = (f"@{parent.author} {text}" if rng.random() < 0.4
                    else f"{parent.author.split()[0]}, {text[:1].lower()}{text[1:]}")
        if lang == "nl":
            text = self.roughen(text, sentiment)
        elif rng.random() < 0.3:
            text = text.lower() if rng.random() < 0.5 else f"{text} {rng.choice(('!', '...', '🙂', '👍', '😕'))}"
        if role in ("tag", "tag_reply", "pm", "thanks", "joke", "language"):
            service = ""
        return {"text": text, "service": service, "sentiment": sentiment, "topic_key": topic, "role": role,
                "lang": lang, "is_compliment": compliment, "mention": mention}

    def _comment_language(self) -> str:
        roll = self.rng.random()
        return "fr" if roll < 0.04 else "en" if roll < 0.065 else "nl"

    def _stance_template(self, root: _Row, role: str, sentiment: str, lang: str) -> tuple[str, str, bool]:
        """A comment that agrees with, pushes back on, or defends a post: template, topic, compliment."""
        rng = self.rng
        bank = self.bank
        generic = bank["generic"]
        spec = bank["services"].get(root.service, {})
        if lang != "nl":
            kind = "pushback" if role == "pushback" else "agree"
            return rng.choice(bank["foreign"][lang][kind][sentiment]), f"{kind}_{lang}", False
        if role == "defend":
            return rng.choice(generic["defend"]), "defend", False
        if root.topic_key == CLOSURE_TOPIC and sentiment != "neutral" and rng.random() < 0.6:
            options = bank["closure"]["comments" if sentiment == "negative" else "pushback"]
            return rng.choice(options), CLOSURE_TOPIC, False
        if role == "agree" and sentiment == "positive" and "compliments" in spec and rng.random() < 0.2:
            topic, template = self._family(spec["compliments"], {})
            return template, topic, True
        if spec and rng.random() < 0.45:
            options = spec["pushback" if role == "pushback" else "comments"].get(sentiment)
            if options:
                return rng.choice(options), f"{root.service}_{role}", False
        return rng.choice(generic["pushback" if role == "pushback" else "agree"][sentiment]), role, False

