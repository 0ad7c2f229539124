from .cross_attention_fusion_head import CrossAttentionFusionHead

__all__ = ['CrossAttentionFusionHead']
