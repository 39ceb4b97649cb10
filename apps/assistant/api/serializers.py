from __future__ import annotations

from rest_framework import serializers

from apps.assistant.models import Channel


class AskInputSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=200)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)


class FeedbackInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=64)
    helpful = serializers.BooleanField()


class QuoteSerializer(serializers.Serializer):
    source = serializers.CharField()
    title = serializers.CharField()
    section = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField()


class ItemLinkSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField()


class BundleLinkSerializer(ItemLinkSerializer):
    items = ItemLinkSerializer(many=True)


class AnswerOutputSerializer(serializers.Serializer):
    answered = serializers.BooleanField()
    question = serializers.CharField()
    feedback_token = serializers.CharField()
    quotes = QuoteSerializer(many=True)
    bundle = BundleLinkSerializer(allow_null=True)
    items = ItemLinkSerializer(many=True)
    fallback = serializers.DictField(allow_null=True)
