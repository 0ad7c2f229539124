from .audio_attention_neck import AudioAttentionNeck
from .multi_head_self_attention import MultiHeadSelfAttention
from .visual_attention_neck import VisualAttentionNeck, channel_heads_for

__all__ = [
    'AudioAttentionNeck',
    'MultiHeadSelfAttention',
    'VisualAttentionNeck',
    'channel_heads_for',
]
