package org.xaiworkbench.explain.cam;

import org.xaiworkbench.model.Classifier;

/**
 * Eigen-CAM (Muhammad and Yeasin 2020): the activation's projection on its first principal component
 * (see {@link FirstComponent}). It reads no gradient, so the map is the same for every class.
 */
public final class EigenCam extends AbstractCam {
    public static final String ID = "eigen-cam";

    public EigenCam(Classifier classifier, Options options) {
        super(ID, classifier, options);
    }

    @Override
    protected double[] combine(Planes planes) {
        return FirstComponent.projections(planes.activation(), planes.maps(), planes.channels(), planes.pixels());
    }
}
