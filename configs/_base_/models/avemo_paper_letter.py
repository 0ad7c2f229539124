# The paper's letter for the full model: every departure of the paper configs reverted.
# Each departure, the paper's letter and the measurement it rests on: docs/method.md,
# "Departures from the paper". The literal configs merge this into their model.
paper_letter = dict(
    video_neck=dict(residual=False),  # no residual connections in VS, VC, VT
    audio_neck=dict(residual=False),
    cls_head=dict(
        cross_gate=None,  # D^Corr = D + D~ (Eq. 9-10), no learned gate
        skip_tanh=True,  # tanh on the sums (Eq. 9-10)
        scale_corr=False,  # Corr = D^AT W (D^VT)^T, unscaled (Eq. 7)
        input_norm=False,  # the branches as the necks give them
        eq8='printed',  # the product as printed (its rows are not weighted averages)
        embed_norm=None,  # no normalisation between the embedding and the classifier
        snippet_pool='flatten',  # the snippets concatenated
    ),
)
